import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import {
  assertEnvelope,
  assertVaultError,
  CAS_MISMATCH,
  dataOf,
  uniqueKey,
  UNSUPPORTED_OPERATION,
  vaultHttp,
  type VaultHttp,
} from '../helpers/vault-http.js';

/** Every refusal is a 4xx in Vault's own shape (`{"errors":[…]}`), never a 5xx, and leaves nothing written. */
describe('Vault KV v2: bad input', () => {
  let server: TestServer;
  let vault: VaultHttp;
  before(async () => {
    server = await startServer();
    vault = vaultHttp(server);
  });
  after(async () => server.stop());

  const assertNothingAt = async (key: string): Promise<void> => {
    assertVaultError(await vault.get(`secret/metadata/${key}`), 404, []);
  };
  /** A key written once with `{"a":1}`, to check that refusals leave it alone. */
  const existingKey = async (prefix: string): Promise<string> => {
    const key = uniqueKey(prefix);
    assert.equal(assertEnvelope(await vault.post(`secret/data/${key}`, { data: { a: 1 } })).version, 1);
    return key;
  };
  const assertUntouched = async (key: string): Promise<void> => {
    const metadata = dataOf(await vault.get(`secret/metadata/${key}`));
    assert.equal(metadata.current_version, 1, `${key} got a new version`);
    const versions = metadata.versions as Record<string, { deletion_time: string; destroyed: boolean }>;
    assert.equal(versions['1']?.deletion_time, '', `${key} version 1 was deleted`);
    assert.equal(versions['1']?.destroyed, false, `${key} version 1 was destroyed`);
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}`)).data, { a: 1 });
  };

  it('answers operations an endpoint does not have with 405 unsupported operation', async () => {
    const key = await existingKey('methods');
    const refusals: [string, string][] = [
      ['PATCH', 'secret/config'],
      ['DELETE', 'secret/config'],
      ['GET', `secret/delete/${key}`],
      ['DELETE', `secret/delete/${key}`],
      ['GET', `secret/undelete/${key}`],
      ['GET', `secret/destroy/${key}`],
      ['DELETE', `secret/destroy/${key}`],
      ['LIST', `secret/subkeys/${key}`],
      ['POST', `secret/subkeys/${key}`],
      ['DELETE', `secret/subkeys/${key}`],
    ];
    for (const [method, path] of refusals) {
      const contentType = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
      const body = method === 'GET' || method === 'DELETE' || method === 'LIST' ? {} : { body: { versions: [1], max_versions: 1 }, contentType };
      assertVaultError(await vault.call(method, path, body), 405, [UNSUPPORTED_OPERATION]);
    }
    await assertUntouched(key);
    assert.equal(dataOf(await vault.get('secret/config')).max_versions, 0);
  });

  it('answers a verb Vault has no operation for with 405 {"errors":[]}', async () => {
    const key = await existingKey('options');
    assertVaultError(await vault.call('OPTIONS', `secret/data/${key}`), 405, []);
    await assertUntouched(key);
  });

  it('answers a verb Node\'s HTTP parser does not know with 405 {"errors":[]} too (spec §1.2)', async () => {
    const key = await existingKey('brew');
    assertVaultError(await vault.call('BREW', `secret/data/${key}`), 405, []);
    await assertUntouched(key);
  });

  it('refuses bodies that are not JSON, or not a JSON object, with 400', async () => {
    const key = uniqueKey('json');
    for (const rawBody of ['{"data":', '{"data":{"a":1}} trailing', 'not json', '[1,2]', '"text"', '42', '{"data":{"a":1},}']) {
      assertVaultError(await vault.call('POST', `secret/data/${key}`, { rawBody }), 400);
      assertVaultError(await vault.call('POST', `secret/metadata/${key}`, { rawBody: rawBody.replace('data', 'max_versions') }), 400);
    }
    await assertNothingAt(key);
    const existing = await existingKey('json-existing');
    assertVaultError(await vault.call('POST', `secret/data/${existing}`, { rawBody: '{"data":{"a":2}' }), 400);
    assertVaultError(await vault.call('PATCH', `secret/data/${existing}`, { rawBody: '{"data":', contentType: 'application/merge-patch+json' }), 400);
    assertVaultError(await vault.call('POST', `secret/delete/${existing}`, { rawBody: '{"versions":[1' }), 400);
    await assertUntouched(existing);
  });

  it('treats an empty body as no data', async () => {
    const key = uniqueKey('empty-body');
    assertVaultError(await vault.call('POST', `secret/data/${key}`, { rawBody: '' }), 400, ['no data provided']);
    assertVaultError(await vault.call('POST', `secret/data/${key}`), 400, ['no data provided']);
    await assertNothingAt(key);
  });

  it('refuses data that is not an object: array, string, number, boolean, null', async () => {
    const key = uniqueKey('not-object');
    for (const data of [[1, 2], ['a'], 'text', '', 42, 0, true, null]) {
      assertVaultError(await vault.post(`secret/data/${key}`, { data }), 400);
    }
    await assertNothingAt(key);
    const existing = await existingKey('not-object-existing');
    for (const data of [[1, 2], 'text', 42]) {
      assertVaultError(await vault.post(`secret/data/${existing}`, { data }), 400);
      assertVaultError(await vault.patch(`secret/data/${existing}`, { data }), 400);
    }
    await assertUntouched(existing);
  });

  it('refuses a negative cas as a mismatch, and a cas or options that is no number or object', async () => {
    const key = uniqueKey('cas');
    assertVaultError(await vault.post(`secret/data/${key}`, { data: { a: 1 }, options: { cas: -1 } }), 400, [CAS_MISMATCH]);
    assertVaultError(await vault.post(`secret/data/${key}`, { data: { a: 1 }, options: { cas: 'abc' } }), 400, ['error parsing check-and-set parameter']);
    assertVaultError(await vault.post(`secret/data/${key}`, { data: { a: 1 }, options: { cas: [1] } }), 400);
    assertVaultError(await vault.post(`secret/data/${key}`, { data: { a: 1 }, options: 'cas' }), 400);
    await assertNothingAt(key);
    const existing = await existingKey('cas-existing');
    assertVaultError(await vault.post(`secret/data/${existing}`, { data: { a: 2 }, options: { cas: -1 } }), 400, [CAS_MISMATCH]);
    await assertUntouched(existing);
  });

  it('refuses PATCH of data as application/json with 415, and without a content type', async () => {
    const key = await existingKey('patch-type');
    assertVaultError(await vault.patch(`secret/data/${key}`, { data: { a: 2 } }, 'application/json'), 415, [
      'PATCH requires Content-Type of application/merge-patch+json, provided application/json',
    ]);
    assertVaultError(await vault.patch(`secret/data/${key}`, { data: { a: 2 } }, 'text/plain'), 415);
    assertVaultError(await vault.call('PATCH', `secret/data/${key}`, { rawBody: '{"data":{"a":2}}', headers: { 'content-type': '' } }), 415);
    await assertUntouched(key);
  });

  it('refuses a body over 1 MiB with 413 or 400 in Vault\'s shape, and a secret over the size limit with 400', async () => {
    const key = uniqueKey('big');
    const huge = await vault.post(`secret/data/${key}`, { data: { blob: 'x'.repeat(1024 * 1024 + 1) } });
    assert.ok(huge.status === 413 || huge.status === 400, `${huge.status} ${huge.text.slice(0, 200)}`);
    assertVaultError(huge, huge.status);
    const hugeMetadata = await vault.post(`secret/metadata/${key}`, { custom_metadata: { blob: 'x' }, padding: 'y'.repeat(2 * 1024 * 1024) });
    assertVaultError(hugeMetadata, hugeMetadata.status);
    assert.ok(hugeMetadata.status === 413 || hugeMetadata.status === 400);
    assertVaultError(await vault.post(`secret/data/${key}`, { data: { blob: 'x'.repeat(70 * 1024) } }), 400);
    await assertNothingAt(key);
  });

  it('refuses fields of the wrong type with Vault\'s conversion message', async () => {
    const key = uniqueKey('types');
    for (const body of [{ max_versions: 'many' }, { cas_required: 'perhaps' }, { delete_version_after: 'soon' }, { custom_metadata: 'x' }]) {
      const [message = ''] = assertVaultError(await vault.post(`secret/metadata/${key}`, body), 400);
      assert.match(message, /^Field validation failed: error converting input for field/, JSON.stringify(body));
    }
    assertVaultError(await vault.post(`secret/metadata/${key}`, { max_versions: -1 }), 400);
    await assertNothingAt(key);
    const existing = await existingKey('types-existing');
    for (const versions of ['a,b', { one: 1 }, [true, 'x']]) {
      assertVaultError(await vault.post(`secret/delete/${existing}`, { versions }), 400);
      assertVaultError(await vault.put(`secret/destroy/${existing}`, { versions }), 400);
    }
    assertVaultError(await vault.post('secret/config', { max_versions: -1 }), 400);
    await assertUntouched(existing);
  });
});
