import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, it } from 'node:test';
import { checkpointMessage, genesisHash, recordHash, type AuditChain, type AuditCheckpoint, type AuditRecord } from './audit-record.js';
import { verifyChains } from './verify-chain.js';

const keys = generateKeyPairSync('ed25519');
const publicKeys = new Map([['k1', keys.publicKey.export({ type: 'spki', format: 'pem' }).toString()]]);

const chainOf = (count: number, chainId = 'chain-a'): { chain: AuditChain; events: AuditRecord[] } => {
  let prevHash = genesisHash(chainId);
  const events = Array.from({ length: count }, (_, index) => {
    const unhashed = {
      chainId, seq: index + 1, time: 1000 + index, requestId: `r${index}`, api: 'scaleway', operation: 'GET /x', action: null,
      actorAccessKey: null, actorRole: null, actorApplicationId: null, actorUserId: null, actorTokenHmac: null, sourceIp: null,
      userAgent: null, organizationId: null, projectId: null, region: null, secretId: null, revision: null, path: null,
      outcome: 'success' as const, status: 200, errorType: null, prevHash,
    };
    prevHash = recordHash(unhashed);
    return { ...unhashed, hash: prevHash };
  });
  return { chain: { chainId, startedAt: 0, anchorSeq: 0, anchorHash: genesisHash(chainId), headSeq: count, headHash: prevHash }, events };
};

const signed = (event: AuditRecord | undefined): AuditCheckpoint => {
  assert.ok(event);
  const body = { chainId: event.chainId, seq: event.seq, hash: event.hash, time: 1, kind: 'periodic' as const };
  return { ...body, keyId: 'k1', signature: sign(null, checkpointMessage(body), keys.privateKey).toString('base64') };
};

describe('verifyChains', () => {
  const { chain, events } = chainOf(10);
  const run = (overrides: { events?: AuditRecord[]; chains?: AuditChain[]; checkpoints?: AuditCheckpoint[]; complete?: boolean } = {}) =>
    verifyChains({ publicKeys, chains: overrides.chains ?? [chain], checkpoints: overrides.checkpoints ?? [signed(events[4])], events: overrides.events ?? events, complete: overrides.complete ?? true });

  it('accepts an intact chain and counts what it checked', async () => {
    assert.deepEqual(await run(), { ok: true, events: 10, chains: 1, checkpoints: 1, firstBreak: null });
  });

  it('names the first broken link for each kind of tampering', async () => {
    const edited = events.map((event) => (event.seq === 3 ? { ...event, status: 500 } : event));
    const cases: [string, Awaited<ReturnType<typeof run>>, number, RegExp][] = [
      ['edited', await run({ events: edited }), 3, /edited/],
      ['deleted', await run({ events: events.filter((event) => event.seq !== 6) }), 6, /missing/],
      ['reordered', await run({ events: [...events.slice(0, 2), ...events.slice(2, 4).reverse(), ...events.slice(4)] }), 3, /missing|out of order|reordered/],
      ['truncated', await run({ events: events.slice(0, 8) }), 9, /truncated/],
      ['cut before a checkpoint', await run({ events: events.slice(0, 3) }), 4, /cut off/],
      ['forged', await run({ checkpoints: [{ ...signed(events[4]), hash: events[5]?.hash ?? '' }] }), 5, /forged/],
      ['unknown key', await run({ checkpoints: [{ ...signed(events[4]), keyId: 'k2' }] }), 5, /forged/],
      ['pruned without anchor', await run({ chains: [{ ...chain, anchorSeq: 2, anchorHash: events[1]?.hash ?? '' }], events: events.slice(2) }), 2, /anchor/],
    ];
    for (const [name, report, seq, message] of cases) {
      assert.equal(report.ok, false, name);
      assert.equal(report.firstBreak?.seq, seq, name);
      assert.match(report.firstBreak?.message ?? '', message, name);
    }
  });

  it('accepts a pruned chain from its signed anchor, and a time range without its start or head', async () => {
    const anchored = { ...chain, anchorSeq: 2, anchorHash: events[1]?.hash ?? '' };
    assert.equal((await run({ chains: [anchored], events: events.slice(2), checkpoints: [signed(events[1])] })).ok, true);
    assert.equal((await run({ events: events.slice(3, 7), complete: false, checkpoints: [] })).ok, true);
    assert.equal((await run({ events: [...events.slice(3, 5), ...events.slice(6, 8)], complete: false, checkpoints: [] })).ok, false);
  });
});
