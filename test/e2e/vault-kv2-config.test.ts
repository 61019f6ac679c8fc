import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import {
  assertEnvelope,
  assertNoContent,
  assertVaultError,
  CAS_REQUIRED,
  dataOf,
  uniqueKey,
  UNSUPPORTED_OPERATION,
  vaultHttp,
  type VaultHttp,
} from '../helpers/vault-http.js';

const DEFAULT_CONFIG = { cas_required: false, delete_version_after: '0s', max_versions: 0 };
const CAS_MANDATED = '"cas_required" set to false, but is mandated by backend config. This value will be ignored.';

/**
 * Section 7, facts 7, 19 and 26: the mount configuration (§3.1–3.2). The config is shared
 * by every key of the mount, so this file has a server of its own and restores the
 * defaults after each test.
 */
describe('Vault KV v2: mount configuration', () => {
  let server: TestServer;
  let vault: VaultHttp;
  before(async () => {
    server = await startServer();
    vault = vaultHttp(server);
  });
  after(async () => server.stop());
  afterEach(async () => {
    assertNoContent(await vault.post('secret/config', { max_versions: 0, cas_required: false, delete_version_after: 0 }));
    assert.deepEqual(dataOf(await vault.get('secret/config')), DEFAULT_CONFIG);
  });

  it('answers the default configuration', async () => {
    const config = await vault.get('secret/config');
    assert.deepEqual(assertEnvelope(config), DEFAULT_CONFIG);
    assert.equal(config.json?.warnings, null);
  });

  it('fact 7: with cas_required on the mount, a write needs cas; cas 0 creates a new key', async () => {
    assertNoContent(await vault.post('secret/config', { cas_required: true }));
    assert.deepEqual(dataOf(await vault.get('secret/config')), { ...DEFAULT_CONFIG, cas_required: true });
    const key = uniqueKey('foo');
    assertVaultError(await vault.post(`secret/data/${key}`, { data: { a: 1 } }), 400, [CAS_REQUIRED]);
    assertVaultError(await vault.get(`secret/metadata/${key}`), 404, []);
    assert.equal(assertEnvelope(await vault.post(`secret/data/${key}`, { data: { a: 1 }, options: { cas: 0 } })).version, 1);
    assertVaultError(await vault.patch(`secret/data/${key}`, { data: { a: 2 } }), 400, [CAS_REQUIRED]);
    assert.equal(assertEnvelope(await vault.patch(`secret/data/${key}`, { data: { a: 2 }, options: { cas: 1 } })).version, 2);
  });

  it('warns, and still stores, a key-level cas_required false that the mount overrides', async () => {
    assertNoContent(await vault.post('secret/config', { cas_required: true }));
    const key = uniqueKey('warned');
    const warned = await vault.post(`secret/metadata/${key}`, { cas_required: false });
    assertEnvelope(warned);
    assert.deepEqual(warned.json?.warnings, [CAS_MANDATED]);
    const patched = await vault.patch(`secret/metadata/${key}`, { cas_required: false });
    assertEnvelope(patched);
    assert.deepEqual(patched.json?.warnings, [CAS_MANDATED]);
    const metadata = dataOf(await vault.get(`secret/metadata/${key}`));
    assert.equal(metadata.cas_required, false);
    assertVaultError(await vault.post(`secret/data/${key}`, { data: { a: 1 } }), 400, [CAS_REQUIRED]);
  });

  it('fact 19: the larger of the mount\'s and the key\'s max_versions wins', async () => {
    assertNoContent(await vault.post('secret/config', { max_versions: 5 }));
    const key = uniqueKey('foo');
    assertNoContent(await vault.post(`secret/metadata/${key}`, { max_versions: 2 }));
    for (let index = 1; index <= 6; index += 1) {
      assert.equal(assertEnvelope(await vault.post(`secret/data/${key}`, { data: { index } })).version, index);
    }
    const metadata = dataOf(await vault.get(`secret/metadata/${key}`));
    assert.deepEqual(Object.keys(metadata.versions as Record<string, unknown>).sort(), ['2', '3', '4', '5', '6']);
    assert.equal(metadata.oldest_version, 2);
    assert.equal(metadata.max_versions, 2, 'metadata shows the key-level value');
    assertVaultError(await vault.get(`secret/data/${key}?version=1`), 404, []);

    const raised = uniqueKey('raised');
    assertNoContent(await vault.post(`secret/metadata/${raised}`, { max_versions: 7 }));
    for (let index = 1; index <= 8; index += 1) {
      await vault.post(`secret/data/${raised}`, { data: { index } });
    }
    assert.equal(Object.keys(dataOf(await vault.get(`secret/metadata/${raised}`)).versions as Record<string, unknown>).length, 7);
  });

  it('fact 26: sets and reads back all three fields; a negative delete_version_after reads -1s', async () => {
    assertNoContent(await vault.post('secret/config', { max_versions: 4, cas_required: true, delete_version_after: '5m' }));
    assert.deepEqual(assertEnvelope(await vault.get('secret/config')), { cas_required: true, delete_version_after: '5m0s', max_versions: 4 });
    assertNoContent(await vault.put('secret/config', { delete_version_after: '-1h' }));
    assert.deepEqual(dataOf(await vault.get('secret/config')), { cas_required: true, delete_version_after: '-1s', max_versions: 4 }, 'only the given field changes');
    assertNoContent(await vault.post('secret/config', { delete_version_after: '30m0s', max_versions: '10', cas_required: 'false' }));
    assert.deepEqual(dataOf(await vault.get('secret/config')), { cas_required: false, delete_version_after: '30m0s', max_versions: 10 }, 'weakly typed');
    assertNoContent(await vault.post('secret/config', {}));
    assert.deepEqual(dataOf(await vault.get('secret/config')), { cas_required: false, delete_version_after: '30m0s', max_versions: 10 }, '{} is a no-op');
  });

  it('schedules deletion with the smaller non-zero delete_version_after of mount and key', async () => {
    assertNoContent(await vault.post('secret/config', { delete_version_after: '1h' }));
    const mountOnly = assertEnvelope(await vault.post(`secret/data/${uniqueKey('mount')}`, { data: { a: 1 } }));
    assert.equal(Date.parse(String(mountOnly.deletion_time)) - Date.parse(String(mountOnly.created_time)), 3_600_000);

    const key = uniqueKey('key');
    assertNoContent(await vault.post(`secret/metadata/${key}`, { delete_version_after: '10m' }));
    const smaller = assertEnvelope(await vault.post(`secret/data/${key}`, { data: { a: 1 } }));
    assert.equal(Date.parse(String(smaller.deletion_time)) - Date.parse(String(smaller.created_time)), 600_000);
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}`)).data, { a: 1 }, 'a future deletion time still reads');
  });

  it('disables scheduled deletion for the whole mount with a negative value, key-level ones included', async () => {
    assertNoContent(await vault.post('secret/config', { delete_version_after: -1 }));
    assert.equal(dataOf(await vault.get('secret/config')).delete_version_after, '-1s');
    const key = uniqueKey('disabled');
    assertNoContent(await vault.post(`secret/metadata/${key}`, { delete_version_after: '1s' }));
    assert.equal(assertEnvelope(await vault.post(`secret/data/${key}`, { data: { a: 1 } })).deletion_time, '');
  });

  it('refuses PATCH on config with 405 and other bad values with 400, changing nothing', async () => {
    assertNoContent(await vault.post('secret/config', { max_versions: 3 }));
    assertVaultError(await vault.patch('secret/config', { max_versions: 1 }), 405, [UNSUPPORTED_OPERATION]);
    assertVaultError(await vault.post('secret/config', { max_versions: 'many' }), 400);
    assertVaultError(await vault.post('secret/config', { cas_required: 'perhaps' }), 400);
    assertVaultError(await vault.post('secret/config', { delete_version_after: 'soon' }), 400);
    assert.deepEqual(dataOf(await vault.get('secret/config')), { ...DEFAULT_CONFIG, max_versions: 3 });
  });
});
