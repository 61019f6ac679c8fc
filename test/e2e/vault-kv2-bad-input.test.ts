import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { dataOf, rawVaultRequest, uniqueKey, vaultHttp, type VaultAnswer, type VaultHttp } from '../helpers/vault-http.js';

/** Every refusal is a 4xx in Vault's own shape, never a 5xx, and leaves nothing written. */
describe('Vault KV v2: bad input', () => {
  let server: TestServer;
  let vault: VaultHttp;
  before(async () => {
    server = await startServer();
    vault = vaultHttp(server);
  });
  after(async () => server.stop());

  const assertRefused = (answer: VaultAnswer, status: number | RegExp) => {
    if (typeof status === 'number') {
      assert.equal(answer.status, status, answer.text);
    } else {
      assert.match(String(answer.status), status, answer.text);
    }
    assert.equal(answer.contentType, 'application/json');
    assert.ok(Array.isArray(answer.json?.errors), `errors array in ${answer.text}`);
  };
  const assertNothingAt = async (key: string) => assert.equal((await vault.get(`secret/metadata/${key}`)).status, 404, `${key} was written`);

  it('refuses operations an endpoint does not support with 405', async () => {
    const key = uniqueKey('methods');
    await vault.post(`secret/data/${key}`, { data: { a: 1 } });
    assertRefused(await vault.patch('secret/config', { max_versions: 1 }), 405);
    assertRefused(await vault.get(`secret/delete/${key}`), 405);
    assertRefused(await vault.delete(`secret/destroy/${key}`), 405);
    assertRefused(await vault.list(`secret/subkeys/${key}`), 405);
    assertRefused(await vault.post(`secret/subkeys/${key}`, {}), 405);
    assertRefused(await vault.call('OPTIONS', `secret/data/${key}`), 405);
    assert.equal(dataOf(await vault.get(`secret/metadata/${key}`)).current_version, 1);
  });

  it('refuses bodies that are not a JSON object', async () => {
    const key = uniqueKey('json');
    assertRefused(await vault.call('POST', `secret/data/${key}`, { rawBody: '{"data":' }), 400);
    assertRefused(await vault.call('POST', `secret/data/${key}`, { rawBody: '[1,2]' }), 400);
    assertRefused(await vault.call('POST', `secret/data/${key}`, { rawBody: '"text"' }), 400);
    for (const data of [[1, 2], 'text', 42, true]) {
      assertRefused(await vault.post(`secret/data/${key}`, { data }), 400);
    }
    assertRefused(await vault.post(`secret/data/${key}`, { data: { a: 1 }, options: 'cas' }), 400);
    await assertNothingAt(key);
  });

  it('refuses a negative or malformed cas without writing', async () => {
    const key = uniqueKey('cas');
    const negative = await vault.post(`secret/data/${key}`, { data: { a: 1 }, options: { cas: -1 } });
    assertRefused(negative, 400);
    assert.deepEqual(negative.json?.errors, ['check-and-set parameter did not match the current version']);
    assertRefused(await vault.post(`secret/data/${key}`, { data: { a: 1 }, options: { cas: [1] } }), 400);
    assertRefused(await vault.get(`secret/data/${key}?version=abc`), 400);
    await assertNothingAt(key);
  });

  it('refuses unknown mounts and path traversal', async () => {
    assertRefused(await vault.post('unknown/data/x', { data: { a: 1 } }), 404);
    const key = uniqueKey('trav');
    for (const path of [`secret/data/${key}/../x`, `secret/data/a/../../${key}`, `secret/data/${key}%2Fb`, `secret/data/${key}%2fb`, `secret/data/a//${key}`, 'secret/data/.', `secret/data/${key}/.`, `secret/data/${key}%00`]) {
      const answer = await rawVaultRequest(server, 'POST', `/v1/${path}`, { data: { a: 1 } });
      assert.ok(answer.status >= 400 && answer.status < 500, `${path}: ${answer.status} ${answer.text}`);
      assert.equal(answer.contentType, 'application/json', path);
    }
    await assertNothingAt(key);
    const keys = (dataOf(await vault.list('secret/metadata')).keys ?? []) as string[];
    assert.deepEqual(keys.filter((listed) => !listed.startsWith('methods-')), [], 'only the key of the methods test exists');
  });

  it('refuses oversized payloads with 413 or 400 and writes nothing', async () => {
    const key = uniqueKey('big');
    const huge = await vault.post(`secret/data/${key}`, { data: { blob: 'x'.repeat(2 * 1024 * 1024) } });
    assertRefused(huge, /^4(00|13)$/);
    const overLimit = await vault.post(`secret/data/${key}`, { data: { blob: 'x'.repeat(70 * 1024) } });
    assertRefused(overLimit, 400);
    await assertNothingAt(key);
  });

  it('refuses fields of the wrong type with Vault\'s conversion message', async () => {
    const key = uniqueKey('types');
    for (const body of [{ max_versions: 'many' }, { cas_required: 'perhaps' }, { delete_version_after: 'soon' }, { custom_metadata: 'x' }]) {
      const answer = await vault.post(`secret/metadata/${key}`, body);
      assertRefused(answer, 400);
      assert.match(answer.json?.errors?.[0] ?? '', /^Field validation failed: error converting input for field/);
    }
    assertRefused(await vault.post(`secret/delete/${key}`, { versions: 'a,b' }), 400);
    assertRefused(await vault.post('secret/config', { max_versions: -1 }), 400);
    await assertNothingAt(key);
  });
});
