import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { dataOf, metadataOf, uniqueKey, vaultHttp, type VaultHttp } from '../helpers/vault-http.js';

const ENVELOPE_KEYS = ['auth', 'data', 'lease_duration', 'lease_id', 'mount_type', 'renewable', 'request_id', 'warnings', 'wrap_info'];
const VERSION_KEYS = ['created_time', 'custom_metadata', 'deletion_time', 'destroyed', 'version'];

/** Section 7 of the Vault KV v2 contract, facts 1–9 and 20–22: writes, reads, CAS, patch, subkeys. */
describe('Vault KV v2: data, check-and-set, patch and subkeys', () => {
  let server: TestServer;
  let vault: VaultHttp;
  before(async () => {
    server = await startServer();
    vault = vaultHttp(server);
  });
  after(async () => server.stop());

  it('fact 1–2: a write answers the version metadata, and a read returns the data in the envelope', async () => {
    const key = uniqueKey('foo');
    const written = await vault.post(`secret/data/${key}`, { data: { bar: 'baz' } });
    assert.equal(written.status, 200);
    assert.equal(written.contentType, 'application/json');
    assert.deepEqual(Object.keys(written.json ?? {}).sort(), ENVELOPE_KEYS);
    assert.equal(written.json?.mount_type, 'kv');
    assert.equal(written.json?.warnings, null);
    assert.deepEqual(Object.keys(dataOf(written)).sort(), VERSION_KEYS);
    assert.deepEqual({ ...dataOf(written), created_time: null }, { created_time: null, custom_metadata: null, deletion_time: '', destroyed: false, version: 1 });

    const read = await vault.get(`secret/data/${key}`);
    assert.equal(read.status, 200);
    assert.equal(read.contentType, 'application/json');
    assert.deepEqual(dataOf(read).data, { bar: 'baz' });
    assert.equal(metadataOf(read).version, 1);
    assert.deepEqual(Object.keys(metadataOf(read)).sort(), VERSION_KEYS);
    const created = Date.parse(String(metadataOf(read).created_time));
    assert.match(String(metadataOf(read).created_time), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    assert.ok(Math.abs(Date.now() - created) < 60_000);
  });

  it('fact 3–4: reads a given version, the latest by default, and 404s what does not exist', async () => {
    const key = uniqueKey('top-secret');
    for (let pssst = 1; pssst <= 5; pssst += 1) {
      assert.equal((await vault.put(`secret/data/${key}`, { data: { pssst } })).status, 200);
    }
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}?version=1`)).data, { pssst: 1 });
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}`)).data, { pssst: 5 });
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}?version=0`)).data, { pssst: 5 });
    for (const path of [`secret/data/${uniqueKey('no-secret-here')}`, `secret/data/${key}?version=99`]) {
      const missing = await vault.get(path);
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.json, { errors: [] });
    }
  });

  it('fact 5–6: cas 0 creates only once; other mismatches fail; the current version succeeds', async () => {
    const key = uniqueKey('cas');
    const first = await vault.post(`secret/data/${key}`, { data: { a: 1 }, options: { cas: 0 } });
    assert.equal(first.status, 200);
    assert.equal(dataOf(first).version, 1);
    for (const cas of [0, -1, 2]) {
      const refused = await vault.post(`secret/data/${key}`, { data: { a: 2 }, options: { cas } });
      assert.equal(refused.status, 400);
      assert.deepEqual(refused.json, { errors: ['check-and-set parameter did not match the current version'] });
    }
    const second = await vault.post(`secret/data/${key}`, { data: { a: 3 }, options: { cas: 1 } });
    assert.equal(dataOf(second).version, 2);
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}`)).data, { a: 3 });
    const unparsable = await vault.post(`secret/data/${key}`, { data: { a: 4 }, options: { cas: 'abc' } });
    assert.deepEqual(unparsable.json, { errors: ['error parsing check-and-set parameter'] });
    assert.equal(dataOf(await vault.post(`secret/data/${key}`, { data: { a: 5 }, options: { cas: '2' } })).version, 3, 'weakly typed cas');
  });

  it('fact 8: a key that requires CAS takes cas 0, 1, 2 and refuses a write without it', async () => {
    const key = uniqueKey('cas-key');
    assert.equal((await vault.post(`secret/metadata/${key}`, { max_versions: 3, cas_required: true })).status, 204);
    for (const cas of [0, 1, 2]) {
      assert.equal(dataOf(await vault.post(`secret/data/${key}`, { data: { cas }, options: { cas } })).version, cas + 1);
    }
    const refused = await vault.post(`secret/data/${key}`, { data: { x: 1 } });
    assert.deepEqual(refused.json, { errors: ['check-and-set parameter required for this call'] });
  });

  it('fact 9: a write without data is refused; an empty object is a valid secret', async () => {
    const key = uniqueKey('empty');
    const refused = await vault.post(`secret/data/${key}`, {});
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.json, { errors: ['no data provided'] });
    assert.equal((await vault.get(`secret/metadata/${key}`)).status, 404, 'nothing was written');
    assert.equal((await vault.post(`secret/data/${key}`, { data: {} })).status, 200);
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}`)).data, {});
  });

  it('fact 20: PATCH merges recursively into a new version, and null removes a key', async () => {
    const key = uniqueKey('patch');
    await vault.post(`secret/data/${key}`, { data: { bar: 'baz', foo: 'gone', quux: { quuz: ['1', '2', '3'] } } });
    const patched = await vault.patch(`secret/data/${key}`, { data: { abc: 123, foo: null, quux: { def: 456, quuz: ['1', '2', '3', '4'] } }, options: { cas: 1 } });
    assert.equal(patched.status, 200);
    assert.equal(dataOf(patched).version, 2);
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}`)).data, { abc: 123, bar: 'baz', quux: { def: 456, quuz: ['1', '2', '3', '4'] } });
  });

  it('fact 21: PATCH needs merge-patch JSON, a key, a live current version and data', async () => {
    const key = uniqueKey('patch-refusals');
    await vault.post(`secret/data/${key}`, { data: { a: 1 } });
    const wrongType = await vault.patch(`secret/data/${key}`, { data: { a: 2 } }, 'application/json');
    assert.equal(wrongType.status, 415);
    assert.deepEqual(wrongType.json, { errors: ['PATCH requires Content-Type of application/merge-patch+json, provided application/json'] });
    const missing = await vault.patch(`secret/data/${uniqueKey('absent')}`, { data: { a: 2 } });
    assert.equal(missing.status, 404);
    assert.equal(missing.text, '');
    assert.deepEqual((await vault.patch(`secret/data/${key}`, { options: {} })).json, { errors: ['no data provided'] });
    await vault.delete(`secret/data/${key}`);
    const deleted = await vault.patch(`secret/data/${key}`, { data: { a: 2 } });
    assert.equal(deleted.status, 404);
    assert.equal(dataOf(deleted).version, 1);
    assert.notEqual(dataOf(deleted).deletion_time, '');
    assert.equal(deleted.json?.errors, undefined);
    assert.equal((await vault.patch(`secret/data/${key}`, { data: { a: 2 }, options: { cas: 0 } })).status, 400, 'cas 0 never fits a patch');
  });

  it('fact 22: subkeys replace leaves with null, to a depth', async () => {
    const key = uniqueKey('subkeys');
    await vault.post(`secret/data/${key}`, { data: { foo: 'abc', bar: { baz: 'def' }, quux: {} } });
    const all = await vault.get(`secret/subkeys/${key}`);
    assert.equal(all.status, 200);
    assert.deepEqual(dataOf(all).subkeys, { bar: { baz: null }, foo: null, quux: null });
    assert.deepEqual(Object.keys(metadataOf(all)).sort(), VERSION_KEYS);
    assert.deepEqual(dataOf(await vault.get(`secret/subkeys/${key}?depth=1`)).subkeys, { bar: null, foo: null, quux: null });
    assert.equal((await vault.get(`secret/subkeys/${key}?depth=abc`)).status, 400);
    assert.equal((await vault.get(`secret/subkeys/${uniqueKey('missing')}?depth=abc`)).status, 400, 'fields are checked before the lookup');
    assert.deepEqual((await vault.get(`secret/subkeys/${uniqueKey('missing')}`)).json, { errors: [] });
  });

  it('returns secret data with sorted keys, as Go marshals maps', async () => {
    const key = uniqueKey('sorted');
    await vault.post(`secret/data/${key}`, { data: { zeta: 1, alpha: { y: 1, b: 2 } } });
    const read = await vault.get(`secret/data/${key}`);
    assert.match(read.text, /"data":\{"alpha":\{"b":2,"y":1\},"zeta":1\}/);
  });

  it('warns about parameters it ignores', async () => {
    const written = await vault.post(`secret/data/${uniqueKey('warn')}`, { data: { a: 1 }, zeta: 1, alpha: 2 });
    assert.deepEqual(written.json?.warnings, ['Endpoint ignored these unrecognized parameters: [alpha zeta]']);
  });
});
