import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { dataOf, uniqueKey, vaultHttp, type VaultHttp } from '../helpers/vault-http.js';

/** Section 7, facts 23–25 and 28, and the sys and token endpoints clients call first. */
describe('Vault KV v2: metadata, listings, invalid paths, sys and token endpoints', () => {
  let server: TestServer;
  let vault: VaultHttp;
  before(async () => {
    server = await startServer();
    vault = vaultHttp(server);
  });
  after(async () => server.stop());

  it('fact 23: lists names and folders, with the LIST verb and with GET ?list=true', async () => {
    const root = uniqueKey('tree');
    await vault.post(`secret/data/${root}/foo`, { data: { a: 1 } });
    await vault.post(`secret/data/${root}/foo/bar`, { data: { a: 1 } });
    for (const answer of [await vault.list(`secret/metadata/${root}`), await vault.get(`secret/metadata/${root}/?list=true`), await vault.get(`secret/metadata/${root}?list=1`)]) {
      assert.equal(answer.status, 200);
      assert.deepEqual(dataOf(answer).keys, ['foo', 'foo/']);
    }
    assert.deepEqual(dataOf(await vault.list(`secret/metadata/${root}/foo/`)).keys, ['bar']);
    const rootList = dataOf(await vault.list('secret/metadata')).keys as string[];
    assert.ok(rootList.includes(`${root}/`));
    const empty = await vault.list(`secret/metadata/${uniqueKey('empty')}/`);
    assert.equal(empty.status, 404);
    assert.deepEqual(empty.json, { errors: [] });
    assert.equal((await vault.list(`secret/subkeys/${root}/foo`)).status, 405);
    assert.deepEqual((await vault.get(`secret/metadata/${root}?list=maybe`)).json, { errors: [] });
  });

  it('fact 24: invalid custom metadata is refused with every problem, and nothing is stored', async () => {
    const key = uniqueKey('custom');
    const refused = await vault.post(`secret/metadata/${key}`, { custom_metadata: { '': 'abc123', empty_value: '', ['a'.repeat(129)]: 'x' } });
    assert.equal(refused.status, 400);
    const message = refused.json?.errors?.[0] ?? '';
    assert.match(message, /^3 errors occurred:/);
    assert.ok(message.includes('length of key "" is 0'));
    assert.ok(message.includes('length of value for key "empty_value" is 0'));
    assert.equal((await vault.get(`secret/metadata/${key}`)).status, 404);
    const tooMany = Object.fromEntries(Array.from({ length: 65 }, (_, index) => [`key${index}`, 'v']));
    const many = await vault.post(`secret/metadata/${key}`, { custom_metadata: tooMany });
    assert.ok(many.json?.errors?.[0]?.includes('payload must contain at most 64 keys, provided 65'));
    assert.equal((await vault.post(`secret/metadata/${key}`, { custom_metadata: {} })).status, 204);
    assert.equal(dataOf(await vault.get(`secret/metadata/${key}`)).custom_metadata, null);
    assert.match((await vault.post(`secret/metadata/${key}`, { custom_metadata: { nested: { a: 1 } } })).json?.errors?.[0] ?? '', /unconvertible type/);
    assert.equal((await vault.post(`secret/metadata/${uniqueKey('noop')}`, {})).status, 204);
  });

  it('fact 25: metadata writes merge fields, replace custom metadata; PATCH merges it and null resets', async () => {
    const key = uniqueKey('merge');
    await vault.post(`secret/metadata/${key}`, { max_versions: 5, cas_required: true });
    await vault.post(`secret/metadata/${key}`, { cas_required: false, custom_metadata: { foo: 'abc', bar: '123' } });
    let metadata = dataOf(await vault.get(`secret/metadata/${key}`));
    assert.equal(metadata.max_versions, 5);
    assert.equal(metadata.cas_required, false);
    assert.deepEqual(metadata.custom_metadata, { bar: '123', foo: 'abc' });
    await vault.post(`secret/metadata/${key}`, { custom_metadata: { baz: 'abc123' } });
    assert.deepEqual(dataOf(await vault.get(`secret/metadata/${key}`)).custom_metadata, { baz: 'abc123' });
    await vault.post(`secret/metadata/${key}`, { custom_metadata: { foo: 'abc', bar: 'def' } });
    assert.equal((await vault.patch(`secret/metadata/${key}`, { custom_metadata: { foo: null, baz: 'ghi' } })).status, 204);
    assert.equal((await vault.patch(`secret/metadata/${key}`, { max_versions: null })).status, 204);
    metadata = dataOf(await vault.get(`secret/metadata/${key}`));
    assert.deepEqual(metadata.custom_metadata, { bar: 'def', baz: 'ghi' });
    assert.equal(metadata.max_versions, 0);
    const absent = await vault.patch(`secret/metadata/${uniqueKey('absent')}`, { max_versions: 1 });
    assert.equal(absent.status, 404);
    assert.equal(absent.text, '');
    assert.equal((await vault.patch(`secret/metadata/${key}`, { max_versions: 1 }, 'application/json')).status, 415);
    assert.deepEqual((await vault.post('secret/metadata/', { max_versions: 1 })).json, { errors: ['missing path'] });
    const negative = await vault.post(`secret/metadata/${key}`, { delete_version_after: '-1h' });
    assert.equal(negative.status, 400);
    assert.match(negative.json?.errors?.[0] ?? '', /cannot provide negative value '-3600'/);
  });

  it('fact 28: invalid paths on the mount answer 404 with Vault\'s warnings', async () => {
    const invalid = await vault.get(`secret/${uniqueKey('foo')}`);
    assert.equal(invalid.status, 404);
    assert.match(invalid.json?.warnings?.[0] ?? '', /^Invalid path for a versioned K\/V secrets engine/);
    assert.equal(invalid.json?.data, null);
    const trailing = await vault.put(`secret/data/${uniqueKey('foo')}/`, { data: { a: 1 } });
    assert.equal(trailing.status, 404);
    assert.match(trailing.json?.warnings?.[0] ?? '', /vault kv put/);
    const root = await vault.get('secret/data');
    assert.equal(root.status, 404);
    assert.deepEqual(root.json?.warnings, ['Non-listing operations on the root of a K/V v2 mount are not supported.']);
    const noMount = await vault.get('nomount/data/x/y');
    assert.equal(noMount.status, 404);
    assert.deepEqual(noMount.json, { errors: ['no handler for route "nomount/data/x/y". route entry not found.'] });
  });

  it('answers sys/health without a token, and sys/mounts and the preflight with one', async () => {
    const health = await vault.call('GET', 'sys/health', { token: null });
    assert.equal(health.status, 200);
    assert.equal(health.json?.initialized, true);
    assert.equal(health.json?.sealed, false);
    assert.equal(typeof health.json?.version, 'string');
    const mounts = await vault.get('sys/mounts');
    assert.equal(mounts.status, 200);
    const secretMount = (mounts.json?.['secret/'] ?? {}) as { type?: string; options?: { version?: unknown } };
    assert.equal(secretMount.type, 'kv');
    assert.equal(secretMount.options?.version, '2');
    assert.deepEqual((dataOf(mounts)['secret/'] as { options?: unknown }).options, { version: '2' });
    const preflight = await vault.get('sys/internal/ui/mounts/secret/foo');
    assert.equal(preflight.status, 200);
    assert.equal((dataOf(preflight).options as { version?: unknown }).version, '2');
    assert.equal(dataOf(preflight).path, 'secret/');
    assert.equal((await vault.get('sys/internal/ui/mounts/other/foo')).status, 403);
  });

  it('looks up its own token for External Secrets Operator, and refuses bad tokens with 403', async () => {
    const self = await vault.get('auth/token/lookup-self');
    assert.equal(self.status, 200);
    assert.equal(self.json?.mount_type, 'token');
    const data = dataOf(self);
    assert.equal(data.type, 'service');
    assert.equal(data.ttl, 0);
    assert.ok('expire_time' in data);
    assert.ok(!self.text.includes(server.secretKey), 'the token is never echoed');
    for (const token of [null, 'not-a-token', '00000000-0000-4000-8000-000000000000']) {
      const refused = await vault.call('GET', `secret/data/${uniqueKey('x')}`, { token });
      assert.equal(refused.status, 403);
      assert.match(refused.json?.errors?.[0] ?? '', /permission denied/);
    }
    const bearer = await fetch(`${server.url}/v1/auth/token/lookup-self`, { headers: { authorization: `Bearer ${server.secretKey}` } });
    assert.equal(bearer.status, 200);
  });
});
