import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import {
  assertEnvelope,
  assertVaultError,
  dataOf,
  metadataOf,
  RFC3339_UTC,
  uniqueKey,
  VERSION_METADATA_KEYS,
  vaultHttp,
  type VaultHttp,
} from '../helpers/vault-http.js';

/** Section 7 of the Vault KV v2 contract, facts 1–4 and 9, and the envelope of §1.4 and §3.3–3.4. */
describe('Vault KV v2: writing and reading data', () => {
  let server: TestServer;
  let vault: VaultHttp;
  before(async () => {
    server = await startServer();
    vault = vaultHttp(server);
  });
  after(async () => server.stop());

  it('fact 1: a write answers 200 with exactly the new version\'s metadata in the envelope', async () => {
    const key = uniqueKey('foo');
    const written = await vault.post(`secret/data/${key}`, { data: { bar: 'baz' } });
    const data = assertEnvelope(written);
    assert.equal(written.json?.warnings, null);
    assert.deepEqual(Object.keys(data).sort(), VERSION_METADATA_KEYS);
    assert.equal(data.version, 1);
    assert.equal(data.deletion_time, '');
    assert.equal(data.destroyed, false);
    assert.equal(data.custom_metadata, null);
    assert.match(String(data.created_time), RFC3339_UTC);
    assert.ok(!written.text.includes('"baz"'), 'a write never echoes the secret');
  });

  it('fact 2: a read returns the data and the version\'s metadata, created within the last minute', async () => {
    const key = uniqueKey('foo');
    const written = dataOf(await vault.post(`secret/data/${key}`, { data: { bar: 'baz' } }));
    const read = await vault.get(`secret/data/${key}`);
    const data = assertEnvelope(read);
    assert.deepEqual(Object.keys(data).sort(), ['data', 'metadata']);
    assert.deepEqual(data.data, { bar: 'baz' });
    const metadata = metadataOf(read);
    assert.deepEqual(Object.keys(metadata).sort(), VERSION_METADATA_KEYS);
    assert.equal(metadata.version, 1);
    assert.equal(metadata.deletion_time, '');
    assert.equal(metadata.destroyed, false);
    assert.equal(metadata.custom_metadata, null);
    assert.equal(metadata.created_time, written.created_time, 'the read reports the time the write did');
    const createdTime = String(metadata.created_time);
    assert.match(createdTime, RFC3339_UTC);
    const age = Date.now() - Date.parse(createdTime);
    assert.ok(age >= -5_000 && age < 60_000, `created_time ${createdTime} is not within the last minute`);
  });

  it('fact 3: ?version=N reads that version; no version, 0 or a negative one reads the latest', async () => {
    const key = uniqueKey('top-secret');
    for (let pssst = 1; pssst <= 5; pssst += 1) {
      const written = await vault.post(`secret/data/${key}`, { data: { pssst } });
      assert.equal(dataOf(written).version, pssst);
    }
    const first = await vault.get(`secret/data/${key}?version=1`);
    assert.deepEqual(assertEnvelope(first).data, { pssst: 1 });
    assert.equal(metadataOf(first).version, 1);
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}?version=3`)).data, { pssst: 3 });
    for (const query of ['', '?version=0', '?version=-2', '?version=5']) {
      const latest = await vault.get(`secret/data/${key}${query}`);
      assert.deepEqual(assertEnvelope(latest).data, { pssst: 5 }, query);
      assert.equal(metadataOf(latest).version, 5, query);
    }
  });

  it('fact 4: a key or a version that does not exist is 404 {"errors":[]}', async () => {
    assertVaultError(await vault.get(`secret/data/${uniqueKey('no-secret-here')}`), 404, []);
    const key = uniqueKey('existing');
    await vault.post(`secret/data/${key}`, { data: { a: 1 } });
    assertVaultError(await vault.get(`secret/data/${key}?version=99`), 404, []);
    assertVaultError(await vault.get(`secret/data/${key}?version=2`), 404, []);
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}`)).data, { a: 1 }, 'the key itself still reads');
  });

  it('fact 9: a write without data is refused and writes nothing; {"data":{}} is a valid empty secret', async () => {
    const key = uniqueKey('empty');
    assertVaultError(await vault.post(`secret/data/${key}`, {}), 400, ['no data provided']);
    assertVaultError(await vault.post(`secret/data/${key}`, { options: { cas: 0 } }), 400, ['no data provided']);
    assertVaultError(await vault.get(`secret/metadata/${key}`), 404, []);
    const written = await vault.post(`secret/data/${key}`, { data: {} });
    assert.equal(assertEnvelope(written).version, 1);
    const read = await vault.get(`secret/data/${key}`);
    assert.deepEqual(assertEnvelope(read).data, {});
  });

  it('treats PUT as POST: both write a new version', async () => {
    const key = uniqueKey('put');
    assert.equal(assertEnvelope(await vault.put(`secret/data/${key}`, { data: { via: 'put' } })).version, 1);
    assert.equal(assertEnvelope(await vault.post(`secret/data/${key}`, { data: { via: 'post' } })).version, 2);
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}?version=1`)).data, { via: 'put' });
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}`)).data, { via: 'post' });
  });

  it('keeps nested objects, arrays, numbers, booleans and null in the data, and nested key paths', async () => {
    const key = `${uniqueKey('nested')}/app/db`;
    const secret = { user: 'app', port: 5432, ratio: 0.5, enabled: true, nothing: null, hosts: ['a', 'b'], tls: { ca: 'x', verify: false } };
    await vault.post(`secret/data/${key}`, { data: secret });
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}`)).data, secret);
  });

  it('returns the secret\'s keys sorted, as Go marshals maps', async () => {
    const key = uniqueKey('sorted');
    await vault.post(`secret/data/${key}`, { data: { zeta: 1, alpha: { y: 1, b: 2 }, mid: 'x' } });
    const read = await vault.get(`secret/data/${key}`);
    assert.match(read.text, /"data":\{"data":\{"alpha":\{"b":2,"y":1\},"mid":"x","zeta":1\},"metadata":/);
  });

  it('reports the parameters it ignores in warnings, sorted, and still writes', async () => {
    const key = uniqueKey('warn');
    const written = await vault.post(`secret/data/${key}`, { data: { a: 1 }, zeta: 1, alpha: 2 });
    assertEnvelope(written);
    assert.deepEqual(written.json?.warnings, ['Endpoint ignored these unrecognized parameters: [alpha zeta]']);
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}`)).data, { a: 1 });
  });

  it('reads ?version as a field: text that is no number is refused before the key is looked up', async () => {
    const key = uniqueKey('query');
    await vault.post(`secret/data/${key}`, { data: { n: 1 } });
    for (const path of [`secret/data/${key}?version=abc`, `secret/data/${uniqueKey('absent')}?version=abc`]) {
      const [message = ''] = assertVaultError(await vault.get(path), 400);
      assert.match(message, /^Field validation failed: error converting input for field "version"/, path);
    }
  });
});
