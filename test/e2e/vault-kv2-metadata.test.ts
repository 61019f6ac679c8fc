import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, type TestServer } from '../helpers/server.js';
import {
  assertEnvelope,
  assertNoContent,
  assertVaultError,
  dataOf,
  metadataOf,
  RFC3339_UTC,
  uniqueKey,
  vaultHttp,
  type VaultHttp,
} from '../helpers/vault-http.js';

type Versions = Record<string, { created_time: string; deletion_time: string; destroyed: boolean }>;

const KEY_METADATA_KEYS = [
  'cas_required', 'created_time', 'current_version', 'custom_metadata', 'delete_version_after',
  'max_versions', 'oldest_version', 'updated_time', 'versions',
];

/** Section 7, facts 16–18: key metadata and pruning (§2 rules 2–3, §3.11), and delete_version_after (§2 rule 6). */
describe('Vault KV v2: key metadata, pruning and scheduled deletion', () => {
  let server: TestServer;
  let vault: VaultHttp;
  before(async () => {
    server = await startServer();
    vault = vaultHttp(server);
  });
  after(async () => server.stop());

  const write = async (key: string, data: Record<string, unknown>): Promise<Record<string, unknown>> =>
    assertEnvelope(await vault.post(`secret/data/${key}`, { data }));
  const writeVersions = async (key: string, count: number): Promise<void> => {
    for (let index = 1; index <= count; index += 1) {
      await write(key, { index });
    }
  };
  const metadataFor = async (key: string): Promise<Record<string, unknown>> => assertEnvelope(await vault.get(`secret/metadata/${key}`));

  it('fact 16: one write with the default config gives Vault\'s metadata, key-level values unset', async () => {
    const key = uniqueKey('foo');
    const written = await write(key, { bar: 'baz' });
    const metadata = await metadataFor(key);
    assert.deepEqual(Object.keys(metadata).filter((name) => KEY_METADATA_KEYS.includes(name)).sort(), KEY_METADATA_KEYS);
    assert.equal(metadata.current_version, 1);
    assert.equal(metadata.oldest_version, 0);
    assert.equal(metadata.max_versions, 0);
    assert.equal(metadata.cas_required, false);
    assert.equal(metadata.delete_version_after, '0s');
    assert.equal(metadata.custom_metadata, null);
    assert.match(String(metadata.created_time), RFC3339_UTC);
    assert.equal(metadata.updated_time, written.created_time);
    assert.deepEqual(metadata.versions, { '1': { created_time: written.created_time, deletion_time: '', destroyed: false } });
  });

  it('keeps 10 versions by default: oldest_version turns 1 at the 10th write and 2 at the 11th', async () => {
    const key = uniqueKey('default-max');
    await writeVersions(key, 9);
    assert.equal((await metadataFor(key)).oldest_version, 0);
    await writeVersions(key, 1);
    const tenth = await metadataFor(key);
    assert.equal(tenth.oldest_version, 1);
    assert.equal(Object.keys(tenth.versions as Versions).length, 10);
    await write(key, { index: 11 });
    const eleventh = await metadataFor(key);
    assert.equal(eleventh.current_version, 11);
    assert.equal(eleventh.oldest_version, 2);
    assert.deepEqual(Object.keys(eleventh.versions as Versions).map(Number).sort((a, b) => a - b), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    assertVaultError(await vault.get(`secret/data/${key}?version=1`), 404, []);
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}?version=2`)).data, { index: 2 });
  });

  it('fact 17: lowering max_versions prunes nothing until the next write, which keeps only the newest', async () => {
    const key = uniqueKey('foo');
    await writeVersions(key, 10);
    assertNoContent(await vault.post(`secret/metadata/${key}`, { max_versions: 2 }));
    assert.equal(Object.keys((await metadataFor(key)).versions as Versions).length, 10, 'no pruning before a write');
    assert.equal((await write(key, { index: 11 })).version, 11);
    const metadata = await metadataFor(key);
    assert.deepEqual(Object.keys(metadata.versions as Versions).sort(), ['10', '11']);
    assert.equal(metadata.oldest_version, 10);
    assert.equal(metadata.current_version, 11);
    assert.equal(metadata.max_versions, 2);
    assertVaultError(await vault.get(`secret/data/${key}?version=9`), 404, []);
    assertVaultError(await vault.get(`secret/data/${key}?version=1`), 404, []);
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}?version=10`)).data, { index: 10 });
  });

  it('fact 18: max_versions 1 keeps only the newest version, numbered on from the pruned ones', async () => {
    const key = uniqueKey('foo');
    assertNoContent(await vault.post(`secret/metadata/${key}`, { max_versions: 3, cas_required: true }));
    for (const cas of [0, 1, 2]) {
      assert.equal(assertEnvelope(await vault.post(`secret/data/${key}`, { data: { cas }, options: { cas } })).version, cas + 1);
    }
    assertNoContent(await vault.post(`secret/metadata/${key}`, { max_versions: 1, cas_required: false }));
    assert.equal((await write(key, { last: true })).version, 4);
    const metadata = await metadataFor(key);
    assert.equal(metadata.current_version, 4);
    assert.equal(metadata.oldest_version, 4);
    assert.deepEqual(Object.keys(metadata.versions as Versions), ['4']);
    for (const version of [1, 2, 3]) {
      assertVaultError(await vault.get(`secret/data/${key}?version=${version}`), 404, []);
    }
  });

  it('metadata without data: created with version 0 and no versions; {} creates nothing', async () => {
    const empty = uniqueKey('noop');
    assertNoContent(await vault.post(`secret/metadata/${empty}`, {}));
    assertVaultError(await vault.get(`secret/metadata/${empty}`), 404, []);

    const key = uniqueKey('meta-only');
    assertNoContent(await vault.post(`secret/metadata/${key}`, { max_versions: 4 }));
    const metadata = await metadataFor(key);
    assert.equal(metadata.current_version, 0);
    assert.equal(metadata.oldest_version, 0);
    assert.deepEqual(metadata.versions, {});
    assert.equal(metadata.max_versions, 4);
    assert.match(String(metadata.created_time), RFC3339_UTC);
    assert.equal(metadata.updated_time, metadata.created_time);
    assertVaultError(await vault.get(`secret/data/${key}`), 404, []);
    assert.equal((await write(key, { a: 1 })).version, 1, 'cas 0 territory: the first write is version 1');
  });

  it('metadata writes do not move updated_time; data writes do', async () => {
    const key = uniqueKey('updated');
    const first = await write(key, { a: 1 });
    await sleep(20);
    assertNoContent(await vault.post(`secret/metadata/${key}`, { max_versions: 7, custom_metadata: { team: 'a' } }));
    assert.equal((await metadataFor(key)).updated_time, first.created_time);
    await sleep(20);
    const second = await write(key, { a: 2 });
    const metadata = await metadataFor(key);
    assert.equal(metadata.updated_time, second.created_time);
    assert.notEqual(metadata.updated_time, metadata.created_time);
    assert.deepEqual(metadata.custom_metadata, { team: 'a' });
    assert.deepEqual(metadataOf(await vault.get(`secret/data/${key}`)).custom_metadata, { team: 'a' }, 'reads echo the custom metadata');
  });

  it('reads and writes delete_version_after as Go durations', async () => {
    const cases: [unknown, string][] = [['1h30m', '1h30m0s'], ['2d', '48h0m0s'], [90, '1m30s'], ['45', '45s'], ['1.5h', '1h30m0s'], ['0s', '0s'], ['', '0s']];
    const key = uniqueKey('durations');
    for (const [input, shown] of cases) {
      assertNoContent(await vault.post(`secret/metadata/${key}`, { delete_version_after: input }));
      assert.equal((await metadataFor(key)).delete_version_after, shown, String(input));
    }
  });

  it('schedules deletion with a key-level delete_version_after, and the version reads as deleted once due', async () => {
    const key = uniqueKey('expiring');
    assertNoContent(await vault.post(`secret/metadata/${key}`, { delete_version_after: '1s' }));
    const written = await write(key, { short: 'lived' });
    const scheduled = String(written.deletion_time);
    assert.match(scheduled, RFC3339_UTC);
    assert.equal(Date.parse(scheduled) - Date.parse(String(written.created_time)), 1000);
    assert.equal((await metadataFor(key)).delete_version_after, '1s');

    let read = await vault.get(`secret/data/${key}`);
    for (let attempt = 0; attempt < 100 && read.status === 200; attempt += 1) {
      await sleep(100);
      read = await vault.get(`secret/data/${key}`);
    }
    assert.equal(read.status, 404, 'the version never became deleted');
    assert.equal(read.json?.errors, undefined);
    assert.equal(dataOf(read).data, null);
    assert.equal(metadataOf(read).version, 1);
    assert.equal(metadataOf(read).deletion_time, scheduled);
    assert.equal(metadataOf(read).destroyed, false);
    assert.equal(((await metadataFor(key)).versions as Versions)['1']?.deletion_time, scheduled);

    assertNoContent(await vault.post(`secret/undelete/${key}`, { versions: [1] }));
    const undeleted = await vault.get(`secret/data/${key}`);
    assert.deepEqual(assertEnvelope(undeleted).data, { short: 'lived' });
    assert.ok(Date.parse(String(metadataOf(undeleted).deletion_time)) > Date.parse(scheduled), 'undelete re-arms the timer');
  });
});
