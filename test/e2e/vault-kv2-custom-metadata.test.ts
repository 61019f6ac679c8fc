import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { assertEnvelope, assertNoContent, assertVaultError, dataOf, uniqueKey, vaultHttp, type VaultHttp } from '../helpers/vault-http.js';

/** Section 7, facts 24 and 25: custom metadata validation, metadata writes and metadata PATCH (§3.12–3.13). */
describe('Vault KV v2: custom metadata and metadata merges', () => {
  let server: TestServer;
  let vault: VaultHttp;
  before(async () => {
    server = await startServer();
    vault = vaultHttp(server);
  });
  after(async () => server.stop());

  const metadataFor = async (key: string): Promise<Record<string, unknown>> => assertEnvelope(await vault.get(`secret/metadata/${key}`));

  it('fact 24: every invalid entry is reported in one multi-error, and nothing is stored', async () => {
    const key = uniqueKey('foo');
    const refused = await vault.post(`secret/metadata/${key}`, { custom_metadata: { '': 'abc123', empty_value: '', ['a'.repeat(129)]: 'x' } });
    const [message = ''] = assertVaultError(refused, 400);
    assert.match(message, /^3 errors occurred:\n\t\* /);
    assert.ok(message.includes('custom_metadata validation failed: length of key "" is 0 but must be 0 < len(key) <= 128'), message);
    assert.ok(message.includes('length of value for key "empty_value" is 0 but must be 0 < len(value) <= 512'), message);
    assert.ok(message.includes(`length of key "${'a'.repeat(129)}" is 129`), message);
    assertVaultError(await vault.get(`secret/metadata/${key}`), 404, []);
  });

  it('fact 24: 65 keys are refused with the single error Vault gives, and nothing is stored', async () => {
    const key = uniqueKey('too-many');
    const tooMany = Object.fromEntries(Array.from({ length: 65 }, (_, index) => [`key${index}`, 'v']));
    assertVaultError(await vault.post(`secret/metadata/${key}`, { custom_metadata: tooMany }), 400, [
      '1 error occurred:\n\t* custom_metadata validation failed: payload must contain at most 64 keys, provided 65\n\n',
    ]);
    assertVaultError(await vault.get(`secret/metadata/${key}`), 404, []);
    const sixtyFour = Object.fromEntries(Array.from({ length: 64 }, (_, index) => [`key${index}`, 'v']));
    assertNoContent(await vault.post(`secret/metadata/${key}`, { custom_metadata: sixtyFour }));
    assert.equal(Object.keys((await metadataFor(key)).custom_metadata as Record<string, string>).length, 64);
  });

  it('fact 24: {} as custom metadata stores nothing and reads back null', async () => {
    const key = uniqueKey('empty-cm');
    assertNoContent(await vault.post(`secret/metadata/${key}`, { custom_metadata: {} }));
    assert.equal((await metadataFor(key)).custom_metadata, null);
    assertNoContent(await vault.post(`secret/metadata/${key}`, { custom_metadata: { a: 'b' } }));
    assertNoContent(await vault.post(`secret/metadata/${key}`, { custom_metadata: {} }));
    assert.equal((await metadataFor(key)).custom_metadata, null, '{} clears what was there');
  });

  it('refuses nested values and unprintable characters, keeping what was stored', async () => {
    const key = uniqueKey('unprintable');
    assertNoContent(await vault.post(`secret/metadata/${key}`, { custom_metadata: { kept: 'yes' } }));
    const [nested = ''] = assertVaultError(await vault.post(`secret/metadata/${key}`, { custom_metadata: { nested: { a: 1 } } }), 400);
    assert.match(nested, /unconvertible type/);
    const [control = ''] = assertVaultError(await vault.post(`secret/metadata/${key}`, { custom_metadata: { bell: 'ring\u0007' } }), 400);
    assert.ok(control.includes('value for key "bell" contains unprintable characters'), control);
    assert.deepEqual((await metadataFor(key)).custom_metadata, { kept: 'yes' });
  });

  it('fact 25: metadata writes change only the given fields, and replace custom metadata wholesale', async () => {
    const key = uniqueKey('foo');
    assertNoContent(await vault.post(`secret/metadata/${key}`, { max_versions: 5, cas_required: true }));
    assertNoContent(await vault.post(`secret/metadata/${key}`, { cas_required: false, custom_metadata: { foo: 'abc', bar: '123' } }));
    let metadata = await metadataFor(key);
    assert.equal(metadata.max_versions, 5);
    assert.equal(metadata.cas_required, false);
    assert.deepEqual(metadata.custom_metadata, { bar: '123', foo: 'abc' });
    assertNoContent(await vault.post(`secret/metadata/${key}`, { custom_metadata: { baz: 'abc123' } }));
    metadata = await metadataFor(key);
    assert.deepEqual(metadata.custom_metadata, { baz: 'abc123' });
    assert.equal(metadata.max_versions, 5);
  });

  it('fact 25: PATCH merges custom metadata key by key, null deletes a key, {} changes nothing', async () => {
    const key = uniqueKey('foo');
    assertNoContent(await vault.post(`secret/metadata/${key}`, { max_versions: 5, custom_metadata: { foo: 'abc', bar: 'def' } }));
    assertNoContent(await vault.patch(`secret/metadata/${key}`, { custom_metadata: { foo: null, baz: 'ghi' } }));
    let metadata = await metadataFor(key);
    assert.deepEqual(metadata.custom_metadata, { bar: 'def', baz: 'ghi' });
    assert.equal(metadata.max_versions, 5, 'fields not in the patch stay');
    assertNoContent(await vault.patch(`secret/metadata/${key}`, { custom_metadata: {} }));
    metadata = await metadataFor(key);
    assert.deepEqual(metadata.custom_metadata, { bar: 'def', baz: 'ghi' });
  });

  it('fact 25: PATCH with a null field resets it to its zero value', async () => {
    const key = uniqueKey('nils');
    assertNoContent(await vault.post(`secret/metadata/${key}`, { max_versions: 5, cas_required: true, delete_version_after: '1h' }));
    assertNoContent(await vault.patch(`secret/metadata/${key}`, { max_versions: null }));
    let metadata = await metadataFor(key);
    assert.equal(metadata.max_versions, 0);
    assert.equal(metadata.cas_required, true);
    assert.equal(metadata.delete_version_after, '1h0m0s');
    assertNoContent(await vault.patch(`secret/metadata/${key}`, { cas_required: null, delete_version_after: '0s' }));
    metadata = await metadataFor(key);
    assert.equal(metadata.cas_required, false);
    assert.equal(metadata.delete_version_after, '0s');
  });

  it('PATCH ignores fields that are not patchable', async () => {
    const key = uniqueKey('readonly');
    assert.equal(assertEnvelope(await vault.post(`secret/data/${key}`, { data: { a: 1 } })).version, 1);
    const before = await metadataFor(key);
    const patched = await vault.patch(`secret/metadata/${key}`, { current_version: 9, oldest_version: 3, created_time: '2000-01-01T00:00:00Z', max_versions: 2 });
    assert.ok(patched.status === 200 || patched.status === 204, patched.text);
    const after = await metadataFor(key);
    assert.equal(after.current_version, 1);
    assert.equal(after.oldest_version, 0);
    assert.equal(after.created_time, before.created_time);
    assert.equal(after.max_versions, 2);
  });

  it('PATCH of metadata needs the key, merge-patch JSON and a path', async () => {
    const absent = uniqueKey('absent');
    const missing = await vault.patch(`secret/metadata/${absent}`, { max_versions: 1 });
    assert.equal(missing.status, 404);
    assert.equal(missing.text, '');
    assertVaultError(await vault.get(`secret/metadata/${absent}`), 404, []);
    const key = uniqueKey('typed');
    assertNoContent(await vault.post(`secret/metadata/${key}`, { max_versions: 3 }));
    assertVaultError(await vault.patch(`secret/metadata/${key}`, { max_versions: 1 }, 'application/json'), 415, [
      'PATCH requires Content-Type of application/merge-patch+json, provided application/json',
    ]);
    assert.equal((await metadataFor(key)).max_versions, 3);
    assertVaultError(await vault.post('secret/metadata/', { max_versions: 1 }), 400, ['missing path']);
    assertVaultError(await vault.patch('secret/metadata/', { max_versions: 1 }), 400, ['missing path']);
  });

  it('refuses a negative key-level delete_version_after with Vault\'s message', async () => {
    const key = uniqueKey('negative');
    const [message = ''] = assertVaultError(await vault.post(`secret/metadata/${key}`, { delete_version_after: '-1h' }), 400);
    assert.match(message, /^Field validation failed: error converting input for field "delete_version_after": cannot provide negative value '-3600'/);
    assertVaultError(await vault.get(`secret/metadata/${key}`), 404, []);
    assert.equal(dataOf(await vault.get(`secret/config`)).delete_version_after, '0s');
  });
});
