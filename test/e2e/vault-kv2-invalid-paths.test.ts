import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { assertVaultError, ENVELOPE_KEYS, uniqueKey, vaultHttp, type VaultAnswer, type VaultHttp } from '../helpers/vault-http.js';

const ROOT_WARNING = 'Non-listing operations on the root of a K/V v2 mount are not supported.';
const invalidPathWarning = (command: string): string =>
  'Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. ' +
  `If using the Vault CLI, use 'vault kv ${command}' for this operation.`;

/** Section 7, fact 28, and the catch-all of §3.14: paths a KV v2 mount has no endpoint for. */
describe('Vault KV v2: invalid paths and unknown mounts', () => {
  let server: TestServer;
  let vault: VaultHttp;
  before(async () => {
    server = await startServer();
    vault = vaultHttp(server);
  });
  after(async () => server.stop());

  /** 404 with the whole envelope, `data: null`, one warning and no `errors` key. */
  const assertInvalidPath = (answer: VaultAnswer, warning: string | RegExp): void => {
    assert.equal(answer.status, 404, answer.text);
    assert.equal(answer.contentType, 'application/json');
    assert.deepEqual(Object.keys(answer.json ?? {}), ENVELOPE_KEYS, answer.text);
    assert.equal(answer.json?.errors, undefined);
    assert.equal(answer.json?.data, null);
    const warnings = answer.json?.warnings ?? [];
    assert.equal(warnings.length, 1, answer.text);
    if (typeof warning === 'string') {
      assert.equal(warnings[0], warning);
    } else {
      assert.match(warnings[0] ?? '', warning);
    }
  };

  it('fact 28: GET secret/foo on a v2 mount is 404 with the invalid-path warning', async () => {
    const key = uniqueKey('foo');
    await vault.post(`secret/data/${key}`, { data: { a: 1 } });
    const answer = await vault.get(`secret/${key}`);
    assertInvalidPath(answer, /^Invalid path for a versioned K\/V secrets engine/);
    assert.equal(answer.json?.warnings?.[0], invalidPathWarning('get'));
    assert.ok(!answer.text.includes('"a":1'));
  });

  it('names the CLI sub-command that fits the operation', async () => {
    const key = uniqueKey('cmd');
    assertInvalidPath(await vault.put(`secret/${key}`, { a: 1 }), invalidPathWarning('put'));
    assertInvalidPath(await vault.post(`secret/${key}`, { a: 1 }), invalidPathWarning('put'));
    assertInvalidPath(await vault.delete(`secret/${key}`), invalidPathWarning('delete'));
    assertInvalidPath(await vault.list(`secret/${key}`), invalidPathWarning('list'));
    assertInvalidPath(await vault.patch(`secret/${key}`, { a: 1 }), invalidPathWarning('patch'));
    assertVaultError(await vault.get(`secret/metadata/${key}`), 404, []);
  });

  it('a trailing slash on data/ is an invalid path and writes nothing', async () => {
    const key = uniqueKey('slash');
    assertInvalidPath(await vault.put(`secret/data/${key}/`, { data: { a: 1 } }), invalidPathWarning('put'));
    assertInvalidPath(await vault.get(`secret/data/${key}/`), invalidPathWarning('get'));
    assertVaultError(await vault.get(`secret/metadata/${key}`), 404, []);
    assertVaultError(await vault.list('secret/metadata/slash'), 404, []);
  });

  it('the bare operation prefixes are the mount\'s root: 404 with the root warning', async () => {
    for (const prefix of ['data', 'metadata', 'delete', 'undelete', 'destroy']) {
      assertInvalidPath(await vault.get(`secret/${prefix}`), ROOT_WARNING);
    }
    assertInvalidPath(await vault.post('secret/data', { data: { a: 1 } }), ROOT_WARNING);
    assertInvalidPath(await vault.post('secret/destroy', { versions: [1] }), ROOT_WARNING);
  });

  it('a path under no mount is 404 no handler, whatever the verb', async () => {
    assertVaultError(await vault.get('nomount/data/x/y'), 404, ['no handler for route "nomount/data/x/y". route entry not found.']);
    assertVaultError(await vault.post('nomount/data/x', { data: { a: 1 } }), 404, ['no handler for route "nomount/data/x". route entry not found.']);
    assertVaultError(await vault.list('nomount/metadata/'), 404, ['no handler for route "nomount/metadata/". route entry not found.']);
    assertVaultError(await vault.get('secrets/data/x'), 404, ['no handler for route "secrets/data/x". route entry not found.']);
  });
});
