import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { it } from 'node:test';
import type { AuditChain, AuditRecord } from '../../core/audit/index.js';
import { genesisHash, recordHash } from '../../shared/audit/audit-record.js';
import { withCode, type StorageRef } from './fixtures.js';

/** `count` linked events of a fresh chain, one microsecond apart from `start`. */
const chainOf = (count: number, start: number, overrides: Partial<AuditRecord> = {}): { chain: AuditChain; events: AuditRecord[] } => {
  const chainId = randomUUID();
  let prevHash = genesisHash(chainId);
  const events = Array.from({ length: count }, (_, index): AuditRecord => {
    const unhashed = {
      chainId,
      seq: index + 1,
      time: start + index,
      requestId: randomUUID(),
      api: 'scaleway',
      operation: 'GET /secrets/:secret_id/versions/:revision/access',
      action: 'secrets:version:access',
      actorAccessKey: 'SCWAUDITCONFORMANCE',
      actorRole: 'application',
      actorApplicationId: randomUUID(),
      actorUserId: null,
      actorTokenHmac: null,
      sourceIp: '127.0.0.1',
      userAgent: 'test',
      organizationId: randomUUID(),
      projectId: randomUUID(),
      region: 'fr-par',
      secretId: randomUUID(),
      revision: '1',
      path: '/prod/db',
      outcome: 'success' as const,
      status: 200,
      errorType: null,
      prevHash,
      ...overrides,
    };
    prevHash = recordHash(unhashed);
    return { ...unhashed, hash: prevHash };
  });
  const last = events.at(-1);
  return {
    chain: { chainId, startedAt: start, anchorSeq: 0, anchorHash: genesisHash(chainId), headSeq: last?.seq ?? 0, headHash: last?.hash ?? genesisHash(chainId) },
    events,
  };
};

const noRange = { from: null, to: null };
const everyEvent = { from: null, to: null, actor: null, secretId: null, action: null, outcome: null, requestId: null, after: null };

export const auditCases = (storage: StorageRef): void => {
  it('appends batches with their chain head, and reads them back exactly, by chain and by filters', async () => {
    const start = 1_000_000_000_000 + Math.floor(Math.random() * 1e9);
    const { chain, events } = chainOf(70, start);
    const [first, second] = [events.slice(0, 65), events.slice(65)];
    await storage().audit.append({ events: first, chain: { ...chain, headSeq: 65, headHash: first.at(-1)?.hash ?? '' }, usage: [] });
    await storage().audit.append({ events: second, chain, usage: [] });
    assert.deepEqual((await storage().audit.listChains()).find((stored) => stored.chainId === chain.chainId), chain);
    assert.deepEqual(await storage().audit.scanChain(chain.chainId, 0, 100, noRange), events);
    assert.deepEqual(await storage().audit.scanChain(chain.chainId, 68, 100, noRange), events.slice(68));
    assert.deepEqual(await storage().audit.scanChain(chain.chainId, 0, 100, { from: start + 10, to: start + 12 }), events.slice(10, 12));
    assert.equal(await storage().audit.countEvents({ from: start, to: start + 70 }), 70);

    const target = events[5];
    assert.ok(target);
    assert.deepEqual(await storage().audit.queryEvents({ ...everyEvent, requestId: target.requestId }, 10), [target]);
    assert.deepEqual(await storage().audit.queryEvents({ ...everyEvent, secretId: target.secretId }, 10), [target]);
    const page = await storage().audit.queryEvents({ ...everyEvent, from: start, to: start + 70 }, 30);
    const next = await storage().audit.queryEvents({ ...everyEvent, from: start, to: start + 70, after: { time: page.at(-1)?.time ?? 0, chainId: chain.chainId, seq: page.at(-1)?.seq ?? 0 } }, 100);
    assert.deepEqual([...page, ...next], events, 'the cursor continues where the page stopped');
    assert.deepEqual(await storage().audit.queryEvents({ ...everyEvent, from: start, to: start + 70, outcome: 'denied' }, 10), []);
  });

  it('writes nothing of a batch that fails', async () => {
    const { chain, events } = chainOf(3, 2_000_000_000_000);
    const clash = events[1];
    assert.ok(clash);
    await assert.rejects(storage().audit.append({ events: [...events, clash], chain, usage: [] }));
    assert.deepEqual(await storage().audit.scanChain(chain.chainId, 0, 10, noRange), []);
    assert.equal((await storage().audit.listChains()).some((stored) => stored.chainId === chain.chainId), false);
  });

  it('refuses a batch that does not continue the chain from its stored head', async () => {
    const { chain, events } = chainOf(6, 2_500_000_000_000);
    await storage().audit.append({ events: events.slice(0, 3), chain: { ...chain, headSeq: 3, headHash: events[2]?.hash ?? '' }, usage: [] });
    await assert.rejects(storage().audit.append({ events: events.slice(4), chain, usage: [] }), withCode('failed_precondition'));
    await assert.rejects(storage().audit.append({ events: events.slice(0, 2), chain, usage: [] }), withCode('failed_precondition'));
    const other = chainOf(2, 2_500_000_000_100);
    await assert.rejects(storage().audit.append({ events: other.events.slice(1), chain: other.chain, usage: [] }), withCode('failed_precondition'));
    await storage().audit.append({ events: events.slice(3), chain, usage: [] });
    assert.deepEqual(await storage().audit.scanChain(chain.chainId, 0, 10, noRange), events);
  });

  it('adds up usage per secret, version and reader', async () => {
    const { chain, events } = chainOf(1, 3_000_000_000_000);
    const secretId = randomUUID();
    const usage = (revision: string, reader: string, count: number, lastAccessedAt: number) => ({ secretId, revision, reader, count, lastAccessedAt });
    await storage().audit.append({ events, chain, usage: [usage('1', 'SCWA', 2, 10), usage('2', 'SCWA', 1, 20)] });
    await storage().audit.append({ events: [], chain, usage: [usage('1', 'SCWA', 3, 5), usage('1', 'SCWB', 1, 30)] });
    const totals = await storage().audit.secretUsage(secretId);
    assert.deepEqual([totals.accessCount, totals.lastAccessedAt], [7, 30]);
    assert.deepEqual(totals.versions.sort((a, b) => a.revision.localeCompare(b.revision)), [
      { revision: '1', accessCount: 6, lastAccessedAt: 30 },
      { revision: '2', accessCount: 1, lastAccessedAt: 20 },
    ]);
    assert.deepEqual(totals.readers.find((reader) => reader.reader === 'SCWA'), { reader: 'SCWA', accessCount: 6, lastAccessedAt: 20 });
    assert.deepEqual([...(await storage().audit.usageOfSecrets([secretId, randomUUID()]))], [[secretId, { accessCount: 7, lastAccessedAt: 30 }]]);
  });

  it('keeps signing keys and checkpoints, and prunes a chain up to a signed anchor in one step', async () => {
    const key = { keyId: randomBytes(8).toString('hex'), publicKey: 'PEM', sealedPrivateKey: randomBytes(48), createdAt: 1 };
    await storage().audit.insertSigningKey(key);
    await storage().audit.insertSigningKey(key);
    assert.deepEqual((await storage().audit.listSigningKeys()).filter((stored) => stored.keyId === key.keyId), [key]);

    const { chain, events } = chainOf(10, 4_000_000_000_000);
    await storage().audit.append({ events, chain, usage: [] });
    const checkpoint = { chainId: chain.chainId, seq: 10, hash: chain.headHash, time: 5, kind: 'periodic' as const, keyId: key.keyId, signature: 'c2ln' };
    await storage().audit.insertCheckpoint(checkpoint);
    const anchorEvent = events[3];
    assert.ok(anchorEvent);
    const anchor = { ...checkpoint, seq: 4, hash: anchorEvent.hash, kind: 'anchor' as const };
    assert.equal(await storage().audit.prune(anchor), 4);
    assert.deepEqual(await storage().audit.scanChain(chain.chainId, 0, 100, noRange), events.slice(4));
    const stored = (await storage().audit.listChains()).find((candidate) => candidate.chainId === chain.chainId);
    assert.deepEqual([stored?.anchorSeq, stored?.anchorHash, stored?.headSeq], [4, anchorEvent.hash, 10]);
    const checkpoints = (await storage().audit.listCheckpoints()).filter((candidate) => candidate.chainId === chain.chainId);
    assert.deepEqual(checkpoints, [anchor, checkpoint]);
  });
};
