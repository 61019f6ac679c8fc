import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import {
  assertEnvelope,
  assertNoContent,
  assertVaultError,
  CAS_MISMATCH,
  CAS_REQUIRED,
  dataOf,
  uniqueKey,
  vaultHttp,
  type VaultHttp,
} from '../helpers/vault-http.js';

/** Section 7, facts 5, 6, 8, 20 and 21: check-and-set at key level, and merge-patch writes (§3.5). */
describe('Vault KV v2: check-and-set and PATCH', () => {
  let server: TestServer;
  let vault: VaultHttp;
  before(async () => {
    server = await startServer();
    vault = vaultHttp(server);
  });
  after(async () => server.stop());

  const currentVersionOf = async (key: string): Promise<unknown> => dataOf(await vault.get(`secret/metadata/${key}`)).current_version;

  it('fact 5: cas 0 creates a new key, and the same request again is refused without writing', async () => {
    const key = uniqueKey('foo');
    const request = { data: { first: 'write' }, options: { cas: 0 } };
    assert.equal(assertEnvelope(await vault.post(`secret/data/${key}`, request)).version, 1);
    const [message = ''] = assertVaultError(await vault.post(`secret/data/${key}`, { ...request, data: { second: 'write' } }), 400);
    assert.ok(message.includes(CAS_MISMATCH), message);
    assert.equal(await currentVersionOf(key), 1);
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}`)).data, { first: 'write' });
  });

  it('fact 6: cas must equal the current version: -1 and 2 are refused, 1 writes version 2', async () => {
    const key = uniqueKey('cas');
    await vault.post(`secret/data/${key}`, { data: { v: 1 } });
    for (const cas of [-1, 2, 0]) {
      assertVaultError(await vault.post(`secret/data/${key}`, { data: { v: 'refused' }, options: { cas } }), 400, [CAS_MISMATCH]);
    }
    assert.equal(await currentVersionOf(key), 1, 'refused writes add no version');
    assert.equal(assertEnvelope(await vault.post(`secret/data/${key}`, { data: { v: 2 }, options: { cas: 1 } })).version, 2);
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}`)).data, { v: 2 });
  });

  it('reads cas weakly typed, refuses one that is no number, and counts deleted versions', async () => {
    const key = uniqueKey('weak-cas');
    await vault.post(`secret/data/${key}`, { data: { v: 1 } });
    assert.equal(assertEnvelope(await vault.post(`secret/data/${key}`, { data: { v: 2 }, options: { cas: '1' } })).version, 2);
    assertVaultError(await vault.post(`secret/data/${key}`, { data: { v: 3 }, options: { cas: 'abc' } }), 400, ['error parsing check-and-set parameter']);
    assertNoContent(await vault.delete(`secret/data/${key}`));
    assertVaultError(await vault.post(`secret/data/${key}`, { data: { v: 3 }, options: { cas: 1 } }), 400, [CAS_MISMATCH]);
    assert.equal(assertEnvelope(await vault.post(`secret/data/${key}`, { data: { v: 3 }, options: { cas: 2 } })).version, 3, 'a soft-deleted current version still counts');
  });

  it('fact 8: metadata with cas_required and no data yet; cas 0, 1, 2 write versions 1–3; no cas is refused', async () => {
    const key = uniqueKey('foo');
    assertNoContent(await vault.post(`secret/metadata/${key}`, { max_versions: 3, cas_required: true }));
    const before = dataOf(await vault.get(`secret/metadata/${key}`));
    assert.equal(before.current_version, 0);
    assert.deepEqual(before.versions, {});
    for (const cas of [0, 1, 2]) {
      assert.equal(assertEnvelope(await vault.post(`secret/data/${key}`, { data: { cas }, options: { cas } })).version, cas + 1);
    }
    assertVaultError(await vault.post(`secret/data/${key}`, { data: { no: 'cas' } }), 400, [CAS_REQUIRED]);
    assertVaultError(await vault.post(`secret/data/${key}`, { data: { no: 'cas' }, options: {} }), 400, [CAS_REQUIRED]);
    const metadata = dataOf(await vault.get(`secret/metadata/${key}`));
    assert.equal(metadata.current_version, 3);
    assert.equal(metadata.cas_required, true);
    assert.equal(metadata.max_versions, 3);
  });

  it('fact 20: PATCH merges recursively into a new version: arrays are replaced, null removes a key', async () => {
    const key = uniqueKey('foo');
    await vault.post(`secret/data/${key}`, { data: { bar: 'baz', quux: { quuz: ['1', '2', '3'] } } });
    const patched = await vault.patch(`secret/data/${key}`, {
      data: { abc: 123, quux: { def: 456, quuz: ['1', '2', '3', '4'] } },
      options: { cas: 1 },
    });
    const written = assertEnvelope(patched);
    assert.equal(written.version, 2);
    assert.equal(written.deletion_time, '');
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}`)).data, { abc: 123, bar: 'baz', quux: { def: 456, quuz: ['1', '2', '3', '4'] } });

    await vault.post(`secret/data/${key}`, { data: { bar: 'baz', foo: 'gone soon' } });
    assert.equal(assertEnvelope(await vault.patch(`secret/data/${key}`, { data: { bar: 'quux', foo: null } })).version, 4);
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}`)).data, { bar: 'quux' });
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}?version=3`)).data, { bar: 'baz', foo: 'gone soon' }, 'older versions stay');
  });

  it('PATCH checks cas as a write does, and cas 0 never fits an existing key', async () => {
    const key = uniqueKey('patch-cas');
    await vault.post(`secret/data/${key}`, { data: { a: 1 } });
    for (const cas of [0, 2]) {
      assertVaultError(await vault.patch(`secret/data/${key}`, { data: { a: 2 }, options: { cas } }), 400, [CAS_MISMATCH]);
    }
    assert.equal(await currentVersionOf(key), 1);
  });

  it('fact 21: PATCH with application/json is 415 and writes nothing', async () => {
    const key = uniqueKey('foo');
    await vault.post(`secret/data/${key}`, { data: { a: 1 } });
    const refused = await vault.patch(`secret/data/${key}`, { data: { a: 2 } }, 'application/json');
    assertVaultError(refused, 415, ['PATCH requires Content-Type of application/merge-patch+json, provided application/json']);
    assert.equal(assertEnvelope(await vault.patch(`secret/data/${key}`, { data: { a: 3 } }, 'application/merge-patch+json; charset=utf-8')).version, 2, 'media type parameters are allowed');
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}`)).data, { a: 3 });
  });

  it('fact 21: PATCH on a missing key is 404 with an empty body', async () => {
    const key = uniqueKey('absent');
    const missing = await vault.patch(`secret/data/${key}`, { data: { a: 2 } });
    assert.equal(missing.status, 404);
    assert.equal(missing.text, '');
    assertVaultError(await vault.get(`secret/metadata/${key}`), 404, []);
  });

  it('fact 21: PATCH on a soft-deleted current version is 404 with its flat metadata and no errors key', async () => {
    const key = uniqueKey('deleted');
    await vault.post(`secret/data/${key}`, { data: { a: 1 } });
    assertNoContent(await vault.delete(`secret/data/${key}`));
    const refused = await vault.patch(`secret/data/${key}`, { data: { a: 2 } });
    assert.equal(refused.status, 404);
    assert.equal(refused.contentType, 'application/json');
    assert.equal(refused.json?.errors, undefined, refused.text);
    const data = dataOf(refused);
    assert.deepEqual(Object.keys(data).sort(), ['created_time', 'custom_metadata', 'deletion_time', 'destroyed', 'version']);
    assert.equal(data.version, 1);
    assert.notEqual(data.deletion_time, '');
    assert.equal(data.destroyed, false);
    assert.equal(await currentVersionOf(key), 1);
  });

  it('fact 21: PATCH with no data is 400 no data provided', async () => {
    const key = uniqueKey('no-data');
    await vault.post(`secret/data/${key}`, { data: { a: 1 } });
    assertVaultError(await vault.patch(`secret/data/${key}`, { options: { cas: 1 } }), 400, ['no data provided']);
    assertVaultError(await vault.patch(`secret/data/${uniqueKey('absent')}`, {}), 400, ['no data provided']);
    assert.equal(await currentVersionOf(key), 1);
  });
});
