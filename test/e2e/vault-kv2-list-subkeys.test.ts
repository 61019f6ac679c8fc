import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import {
  assertEnvelope,
  assertNoContent,
  assertVaultError,
  dataOf,
  ENVELOPE_KEYS,
  metadataOf,
  uniqueKey,
  UNSUPPORTED_OPERATION,
  VERSION_METADATA_KEYS,
  vaultHttp,
  type VaultAnswer,
  type VaultHttp,
} from '../helpers/vault-http.js';

/** Section 7, facts 22 and 23: listings (§3.10) and subkeys (§3.16). */
describe('Vault KV v2: LIST and subkeys', () => {
  let server: TestServer;
  let vault: VaultHttp;
  before(async () => {
    server = await startServer();
    vault = vaultHttp(server);
  });
  after(async () => server.stop());

  const keysOf = (answer: VaultAnswer): string[] => {
    const data = assertEnvelope(answer);
    assert.deepEqual(Object.keys(data), ['keys']);
    return data.keys as string[];
  };

  it('fact 23: LIST and GET ?list=true give names and folders, a name possibly as both', async () => {
    const root = uniqueKey('tree');
    await vault.post(`secret/data/${root}/foo`, { data: { a: 1 } });
    await vault.post(`secret/data/${root}/foo/bar`, { data: { a: 1 } });
    const answers = [
      await vault.list(`secret/metadata/${root}`),
      await vault.list(`secret/metadata/${root}/`),
      await vault.get(`secret/metadata/${root}/?list=true`),
      await vault.get(`secret/metadata/${root}?list=true`),
    ];
    for (const answer of answers) {
      assert.deepEqual(keysOf(answer), ['foo', 'foo/']);
    }
    assert.deepEqual(keysOf(await vault.list(`secret/metadata/${root}/foo/`)), ['bar']);
    assert.deepEqual(keysOf(await vault.get(`secret/metadata/${root}/foo?list=true`)), ['bar']);
  });

  it('fact 23: lists the mount\'s root with and without a trailing slash', async () => {
    const root = uniqueKey('rooted');
    await vault.post(`secret/data/${root}`, { data: { a: 1 } });
    await vault.post(`secret/data/${root}/child`, { data: { a: 1 } });
    for (const answer of [await vault.list('secret/metadata'), await vault.list('secret/metadata/'), await vault.get('secret/metadata?list=true')]) {
      const keys = keysOf(answer);
      assert.ok(keys.includes(root) && keys.includes(`${root}/`), keys.join(' '));
      assert.deepEqual(keys, [...keys].sort(), 'sorted');
    }
  });

  it('fact 23: an empty folder or a secret itself lists as 404 {"errors":[]}', async () => {
    const key = uniqueKey('file');
    await vault.post(`secret/data/${key}`, { data: { a: 1 } });
    assertVaultError(await vault.list(`secret/metadata/${uniqueKey('empty')}/`), 404, []);
    assertVaultError(await vault.get(`secret/metadata/${uniqueKey('empty')}?list=true`), 404, []);
    assertVaultError(await vault.list(`secret/metadata/${key}`), 404, []);
  });

  it('fact 23: LIST on subkeys is 405 unsupported operation', async () => {
    const key = uniqueKey('foo');
    await vault.post(`secret/data/${key}`, { data: { a: 1 } });
    assertVaultError(await vault.list(`secret/subkeys/${key}`), 405, [UNSUPPORTED_OPERATION]);
  });

  it('lists keys with metadata only and keys whose versions are all deleted or destroyed', async () => {
    const root = uniqueKey('kinds');
    await vault.post(`secret/metadata/${root}/meta-only`, { max_versions: 2 });
    await vault.post(`secret/data/${root}/deleted`, { data: { a: 1 } });
    assertNoContent(await vault.delete(`secret/data/${root}/deleted`));
    await vault.post(`secret/data/${root}/destroyed`, { data: { a: 1 } });
    assertNoContent(await vault.put(`secret/destroy/${root}/destroyed`, { versions: [1] }));
    await vault.post(`secret/data/${root}/gone`, { data: { a: 1 } });
    assertNoContent(await vault.delete(`secret/metadata/${root}/gone`));
    assert.deepEqual(keysOf(await vault.list(`secret/metadata/${root}`)), ['deleted', 'destroyed', 'meta-only']);
  });

  it('reads ?list as Go booleans: 1, t and TRUE list; false reads; anything else is 400 {"errors":[]}', async () => {
    const root = uniqueKey('bools');
    await vault.post(`secret/data/${root}/a`, { data: { a: 1 } });
    for (const value of ['1', 't', 'TRUE', 'True']) {
      assert.deepEqual(keysOf(await vault.get(`secret/metadata/${root}?list=${value}`)), ['a'], value);
    }
    const read = await vault.get(`secret/metadata/${root}/a?list=false`);
    assert.equal(assertEnvelope(read).current_version, 1, 'list=false is a plain read');
    for (const value of ['maybe', 'yes', '2']) {
      assertVaultError(await vault.get(`secret/metadata/${root}?list=${value}`), 400, []);
    }
  });

  it('fact 22: subkeys replaces every leaf with null, empty objects included, with the version\'s metadata', async () => {
    const key = uniqueKey('foo');
    await vault.post(`secret/data/${key}`, { data: { foo: 'abc', bar: { baz: 'def' }, quux: {} } });
    const all = await vault.get(`secret/subkeys/${key}`);
    const data = assertEnvelope(all);
    assert.deepEqual(Object.keys(data).sort(), ['metadata', 'subkeys']);
    assert.deepEqual(data.subkeys, { bar: { baz: null }, foo: null, quux: null });
    assert.deepEqual(Object.keys(metadataOf(all)).sort(), VERSION_METADATA_KEYS);
    assert.equal(metadataOf(all).version, 1);
    assert.ok(!all.text.includes('"abc"') && !all.text.includes('"def"'), 'no value is revealed');
  });

  it('fact 22: depth limits the levels shown; depth=abc is 400 even for a missing key; a missing key is 404', async () => {
    const key = uniqueKey('foo');
    await vault.post(`secret/data/${key}`, { data: { foo: 'abc', bar: { baz: 'def' }, quux: {} } });
    assert.deepEqual(assertEnvelope(await vault.get(`secret/subkeys/${key}?depth=1`)).subkeys, { bar: null, foo: null, quux: null });
    assertVaultError(await vault.get(`secret/subkeys/${key}?depth=abc`), 400);
    assertVaultError(await vault.get(`secret/subkeys/${uniqueKey('missing')}?depth=abc`), 400);
    assertVaultError(await vault.get(`secret/subkeys/${uniqueKey('missing')}`), 404, []);

    const deep = uniqueKey('deep');
    await vault.post(`secret/data/${deep}`, { data: { foo: { bar: { baz: 123 } }, list: [1, { a: 2 }] } });
    assert.deepEqual(dataOf(await vault.get(`secret/subkeys/${deep}?depth=0`)).subkeys, { foo: { bar: { baz: null } }, list: null });
    assert.deepEqual(dataOf(await vault.get(`secret/subkeys/${deep}?depth=2`)).subkeys, { foo: { bar: null }, list: null });
    assert.deepEqual(dataOf(await vault.get(`secret/subkeys/${deep}?depth=1`)).subkeys, { foo: null, list: null });
  });

  it('subkeys of an older version, of empty data, and of a deleted version', async () => {
    const key = uniqueKey('versions');
    await vault.post(`secret/data/${key}`, { data: { old: 'x' } });
    await vault.post(`secret/data/${key}`, { data: {} });
    const older = await vault.get(`secret/subkeys/${key}?version=1`);
    assert.deepEqual(assertEnvelope(older).subkeys, { old: null });
    assert.equal(metadataOf(older).version, 1);
    assert.deepEqual(assertEnvelope(await vault.get(`secret/subkeys/${key}`)).subkeys, {});
    assertVaultError(await vault.get(`secret/subkeys/${key}?version=9`), 404, []);

    assertNoContent(await vault.delete(`secret/data/${key}`));
    const deleted = await vault.get(`secret/subkeys/${key}`);
    assert.equal(deleted.status, 404);
    assert.deepEqual(Object.keys(deleted.json ?? {}), ENVELOPE_KEYS, deleted.text);
    assert.equal(dataOf(deleted).subkeys, null);
    assert.equal(metadataOf(deleted).version, 2);
    assert.notEqual(metadataOf(deleted).deletion_time, '');
  });
});
