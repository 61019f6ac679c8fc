import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { KV_PRECONDITIONS } from '../../src/core/kv/index.js';
import { AppError } from '../../src/shared/errors.js';
import { openKvHarness, type KvHarness } from './kv-harness.js';

const failsWith = (precondition: string) => (error: unknown) =>
  error instanceof AppError && error.code === 'failed_precondition' && error.details.precondition === precondition;
const invalid = (error: unknown) => error instanceof AppError && error.code === 'invalid_argument';
const key = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

describe('KV service over the real store', () => {
  let h: KvHarness;
  before(async () => {
    h = await openKvHarness();
  });
  after(async () => h.close());

  const write = (name: string, data: Record<string, unknown>, cas: number | null = null) => h.kv.write(h.actor, h.scope, name, data, { cas });
  const versionsOf = async (name: string) => (await h.kv.getMetadata(h.actor, h.scope, name))?.versions.map((info) => info.version);

  it('applies check-and-set: 0 creates, a match writes, anything else fails and writes nothing', async () => {
    const name = key('cas');
    assert.equal((await write(name, { a: 1 }, 0)).version.version, 1);
    await assert.rejects(write(name, { a: 2 }, 0), failsWith(KV_PRECONDITIONS.casMismatch));
    await assert.rejects(write(name, { a: 2 }, -1), failsWith(KV_PRECONDITIONS.casMismatch));
    await assert.rejects(write(name, { a: 2 }, 2), failsWith(KV_PRECONDITIONS.casMismatch));
    assert.equal((await write(name, { a: 2 }, 1)).version.version, 2);
    const missing = key('cas-missing');
    await assert.rejects(write(missing, { a: 1 }, 3), failsWith(KV_PRECONDITIONS.casMismatch));
    assert.equal(await h.kv.getMetadata(h.actor, h.scope, missing), null, 'a refused first write leaves no key');
  });

  it('requires check-and-set when the key asks for it', async () => {
    const name = key('cas-required');
    await h.kv.writeMetadata(h.actor, h.scope, name, { maxVersions: 3, casRequired: true });
    for (const cas of [0, 1, 2]) {
      assert.equal((await write(name, { n: cas }, cas)).version.version, cas + 1);
    }
    await assert.rejects(write(name, { n: 9 }), failsWith(KV_PRECONDITIONS.casRequired));
    // Fact 18: lowering max_versions prunes at the next write.
    await h.kv.writeMetadata(h.actor, h.scope, name, { maxVersions: 1, casRequired: false });
    assert.equal((await write(name, { n: 4 })).version.version, 4);
    const metadata = await h.kv.getMetadata(h.actor, h.scope, name);
    assert.equal(metadata?.currentVersion, 4);
    assert.equal(metadata?.oldestVersion, 4);
    assert.deepEqual(await versionsOf(name), [4]);
  });

  it('prunes to the default 10 versions and reports oldest_version as Vault does', async () => {
    const name = key('prune');
    for (let index = 1; index <= 9; index += 1) {
      await write(name, { index });
    }
    assert.equal((await h.kv.getMetadata(h.actor, h.scope, name))?.oldestVersion, 0);
    await write(name, { index: 10 });
    assert.equal((await h.kv.getMetadata(h.actor, h.scope, name))?.oldestVersion, 1);
    await h.kv.writeMetadata(h.actor, h.scope, name, { maxVersions: 2 });
    await write(name, { index: 11 });
    assert.deepEqual(await versionsOf(name), [10, 11]);
    assert.equal((await h.kv.getMetadata(h.actor, h.scope, name))?.oldestVersion, 10);
    assert.deepEqual(await h.kv.read(h.actor, h.scope, name, 9), { kind: 'absent' });
  });

  it('soft-deletes, undeletes and destroys versions, and reads refuse what is not live', async () => {
    const name = key('states');
    for (const value of ['a', 'b', 'c']) {
      await write(name, { value });
    }
    await h.kv.deleteLatest(h.actor, h.scope, name);
    const deleted = await h.kv.read(h.actor, h.scope, name, null);
    assert.equal(deleted.kind, 'unreadable');
    assert.equal(deleted.kind === 'unreadable' && deleted.version.state, 'deactivated');
    assert.ok(deleted.kind === 'unreadable' && deleted.version.deletionTime !== null);
    await h.kv.deleteVersions(h.actor, h.scope, name, [1, 7]);
    await h.kv.destroyVersions(h.actor, h.scope, name, [2]);
    await h.kv.undeleteVersions(h.actor, h.scope, name, [1, 2, 3]);
    const states = (await h.kv.getMetadata(h.actor, h.scope, name))?.versions.map((info) => [info.version, info.state, info.destroyed]);
    assert.deepEqual(states, [[1, 'active', false], [2, 'destroyed', true], [3, 'active', false]]);
    const read = await h.kv.read(h.actor, h.scope, name, 1);
    assert.deepEqual(read.kind === 'ok' && read.data, { value: 'a' });
  });

  it('schedules deletions from delete_version_after, the smaller of key and domain, and re-arms on undelete', async () => {
    const name = key('expiry');
    await h.kv.writeMetadata(h.actor, h.scope, name, { deleteVersionAfterSeconds: 60 });
    const written = await write(name, { v: 1 });
    assert.equal(written.version.deletionTime, written.version.createdAt + 60_000_000);
    assert.equal((await h.kv.read(h.actor, h.scope, name, null)).kind, 'ok');
    h.clock.advanceSeconds(61);
    const expired = await h.kv.read(h.actor, h.scope, name, null);
    assert.equal(expired.kind, 'unreadable');
    assert.equal(expired.kind === 'unreadable' && expired.version.deletionTime, written.version.deletionTime);
    await h.kv.undeleteVersions(h.actor, h.scope, name, [1]);
    const back = await h.kv.read(h.actor, h.scope, name, null);
    assert.equal(back.kind, 'ok');
    assert.equal(back.kind === 'ok' && back.version.deletionTime, h.clock.nowMicros() + 60_000_000);
  });

  it('merge-patches the current version into a new one, and refuses a deleted current version', async () => {
    const name = key('patch');
    await write(name, { bar: 'baz', foo: 'x', quux: { quuz: [1] } });
    const patched = await h.kv.patch(h.actor, h.scope, name, { foo: null, quux: { def: 4 } }, { cas: 1 });
    assert.equal(patched.kind === 'ok' && patched.version.version, 2);
    const read = await h.kv.read(h.actor, h.scope, name, null);
    assert.deepEqual(read.kind === 'ok' && read.data, { bar: 'baz', quux: { quuz: [1], def: 4 } });
    await assert.rejects(h.kv.patch(h.actor, h.scope, name, { a: 1 }, { cas: 0 }), failsWith(KV_PRECONDITIONS.casMismatch));
    assert.deepEqual(await h.kv.patch(h.actor, h.scope, key('nobody'), { a: 1 }, { cas: null }), { kind: 'absent' });
    await h.kv.deleteLatest(h.actor, h.scope, name);
    assert.equal((await h.kv.patch(h.actor, h.scope, name, { a: 1 }, { cas: null })).kind, 'unreadable');
  });

  it('validates and merges custom metadata as Vault does', async () => {
    const name = key('custom');
    await assert.rejects(
      h.kv.writeMetadata(h.actor, h.scope, name, { customMetadata: { '': 'abc', empty: '', ['a'.repeat(129)]: 'x' } }),
      (error: unknown) => invalid(error) && error instanceof AppError && error.details.problems?.length === 3,
    );
    assert.equal(await h.kv.getMetadata(h.actor, h.scope, name), null);
    const tooMany = Object.fromEntries(Array.from({ length: 65 }, (_, index) => [`k${index}`, 'v']));
    await assert.rejects(h.kv.writeMetadata(h.actor, h.scope, name, { customMetadata: tooMany }), (error: unknown) =>
      error instanceof AppError && error.details.problems?.[0]?.message === 'payload must contain at most 64 keys, provided 65',
    );
    assert.equal(await h.kv.writeMetadata(h.actor, h.scope, name, {}), null, 'an empty change creates nothing');
    await h.kv.writeMetadata(h.actor, h.scope, name, { maxVersions: 5, casRequired: true });
    await h.kv.writeMetadata(h.actor, h.scope, name, { casRequired: false, customMetadata: { foo: 'abc', bar: 'def' } });
    const patched = await h.kv.patchMetadata(h.actor, h.scope, name, { customMetadataPatch: { foo: null, baz: 'ghi' }, maxVersions: null });
    assert.deepEqual(patched?.customMetadata, { bar: 'def', baz: 'ghi' });
    assert.equal(patched?.maxVersions, 0);
    assert.equal(patched?.casRequired, false);
    assert.equal(await h.kv.patchMetadata(h.actor, h.scope, key('absent'), { maxVersions: 1 }), null);
    const cleared = await h.kv.writeMetadata(h.actor, h.scope, name, { customMetadata: {} });
    assert.equal(cleared?.customMetadata, null);
  });

  it('lists children as names and folders, and forgets a deleted key so it restarts at version 1', async () => {
    const root = key('tree');
    await write(`${root}/foo`, { a: 1 });
    await write(`${root}/foo/bar`, { a: 1 });
    await write(`${root}/foo/bar/deep`, { a: 1 });
    assert.deepEqual(await h.kv.listChildren(h.actor, h.scope, `${root}/`), ['foo', 'foo/']);
    assert.deepEqual(await h.kv.listChildren(h.actor, h.scope, `${root}/foo`), ['bar', 'bar/']);
    assert.deepEqual(await h.kv.listChildren(h.actor, h.scope, `${root}/empty/`), []);
    await h.kv.deleteMetadata(h.actor, h.scope, `${root}/foo`);
    assert.equal(await h.kv.getMetadata(h.actor, h.scope, `${root}/foo`), null);
    assert.equal((await write(`${root}/foo`, { a: 2 })).version.version, 1);
  });

  it('refuses keys with empty, dot or foreign segments', async () => {
    for (const bad of ['', 'a//b', '/a', 'a/', 'a/../b', '.', 'a/./b', 'a b', 'a%2Fb']) {
      await assert.rejects(write(bad, { a: 1 }), invalid, bad);
    }
  });

  it('keeps domain settings per project and region, and activation is idempotent', async () => {
    const domain = await h.kv.activateDomain(h.actor, null, 'nl-ams');
    assert.equal((await h.kv.activateDomain(h.actor, null, 'nl-ams')).id, domain.id);
    assert.deepEqual(await h.kv.getDomain(h.actor, domain.id), domain);
    const scope = { projectId: domain.projectId, region: 'nl-ams' };
    assert.deepEqual(await h.kv.getSettings(h.actor, scope), { maxVersions: 0, casRequired: false, deleteVersionAfterSeconds: 0 });
    await h.kv.updateSettings(h.actor, scope, { maxVersions: 5 });
    await h.kv.updateSettings(h.actor, scope, { casRequired: true });
    assert.deepEqual(await h.kv.getSettings(h.actor, scope), { maxVersions: 5, casRequired: true, deleteVersionAfterSeconds: 0 });
    assert.deepEqual(await h.kv.getSettings(h.actor, h.scope), { maxVersions: 0, casRequired: false, deleteVersionAfterSeconds: 0 });
    await assert.rejects(h.kv.getDomain(h.actor, randomUUID()), (error: unknown) => error instanceof AppError && error.code === 'not_found');
    // The larger max_versions wins: domain 5, key 2 → 5 kept.
    const name = key('domain-max');
    await h.kv.writeMetadata(h.actor, scope, name, { maxVersions: 2 });
    await assert.rejects(h.kv.write(h.actor, scope, name, { n: 0 }, { cas: null }), failsWith(KV_PRECONDITIONS.casRequired));
    for (let cas = 0; cas < 6; cas += 1) {
      await h.kv.write(h.actor, scope, name, { n: cas }, { cas });
    }
    assert.deepEqual((await h.kv.getMetadata(h.actor, scope, name))?.versions.map((info) => info.version), [2, 3, 4, 5, 6]);
  });
});
