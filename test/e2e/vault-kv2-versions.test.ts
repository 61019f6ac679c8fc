import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { dataOf, metadataOf, uniqueKey, vaultHttp, type VaultHttp } from '../helpers/vault-http.js';

type Versions = Record<string, { deletion_time: string; destroyed: boolean }>;

/** Section 7, facts 7 and 10–19, 26–27: deletes, undeletes, destroys, pruning, mount config. */
describe('Vault KV v2: version lifecycle and mount configuration', () => {
  let server: TestServer;
  let vault: VaultHttp;
  // A mount of its own (another region of the default project) for facts that change the mount config.
  const ISOLATED = 'iso';
  before(async () => {
    server = await startServer({ env: { COFFER_VAULT_MOUNTS: `${ISOLATED}=@nl-ams` } });
    vault = vaultHttp(server);
  });
  after(async () => server.stop());

  const writeVersions = async (mount: string, key: string, count: number) => {
    for (let index = 1; index <= count; index += 1) {
      assert.equal((await vault.post(`${mount}/data/${key}`, { data: { index } })).status, 200);
    }
  };
  const versionsOf = async (mount: string, key: string) => dataOf(await vault.get(`${mount}/metadata/${key}`)).versions as Versions;

  it('fact 10: DELETE soft-deletes the current version; reads answer 404 with its metadata', async () => {
    const key = uniqueKey('foo');
    await writeVersions('secret', key, 1);
    const deleted = await vault.delete(`secret/data/${key}`);
    assert.equal(deleted.status, 204);
    assert.equal(deleted.text, '');
    const read = await vault.get(`secret/data/${key}`);
    assert.equal(read.status, 404);
    assert.equal(read.json?.errors, undefined);
    assert.equal(read.json?.mount_type, '');
    assert.equal(dataOf(read).data, null);
    assert.equal(metadataOf(read).version, 1);
    assert.notEqual(metadataOf(read).deletion_time, '');
    assert.equal(metadataOf(read).destroyed, false);
    const metadata = dataOf(await vault.get(`secret/metadata/${key}`));
    assert.equal(metadata.current_version, 1);
    assert.notEqual((metadata.versions as Versions)['1']?.deletion_time, '');
  });

  it('fact 11: DELETE of a key never written is a 204 that creates nothing', async () => {
    const key = uniqueKey('never-written');
    assert.equal((await vault.delete(`secret/data/${key}`)).status, 204);
    assert.equal((await vault.get(`secret/metadata/${key}`)).status, 404);
  });

  it('fact 12–13: delete and undelete take lists in any form, and only touch the listed versions', async () => {
    const key = uniqueKey('hvac');
    await writeVersions('secret', key, 7);
    assert.equal((await vault.post(`secret/delete/${key}`, { versions: '1,2' })).status, 204);
    let versions = await versionsOf('secret', key);
    assert.ok(versions['1']?.deletion_time && versions['2']?.deletion_time);
    assert.equal((await vault.post(`secret/undelete/${key}`, { versions: [1, 2] })).status, 204);
    versions = await versionsOf('secret', key);
    assert.equal(versions['1']?.deletion_time, '');
    assert.equal(versions['2']?.deletion_time, '');
    assert.equal((await vault.post(`secret/delete/${key}`, { versions: [1, 3, 7] })).status, 204);
    versions = await versionsOf('secret', key);
    assert.deepEqual(Object.entries(versions).filter(([, info]) => info.deletion_time !== '').map(([version]) => version).sort(), ['1', '3', '7']);
    assert.equal((await vault.post(`secret/delete/${key}`, { versions: [12] })).status, 204, 'unknown versions are ignored');
  });

  it('fact 14: an empty version list is refused, in two different words, even for a missing key', async () => {
    const key = uniqueKey('empty-list');
    assert.deepEqual((await vault.post(`secret/delete/${key}`, { versions: [] })).json, { errors: ['No version number provided'] });
    assert.deepEqual((await vault.post(`secret/undelete/${key}`, {})).json, { errors: ['No version number provided'] });
    assert.deepEqual((await vault.put(`secret/destroy/${key}`, { versions: [] })).json, { errors: ['no version number provided'] });
    assert.equal((await vault.post(`secret/destroy/${key}`, { versions: [1] })).status, 204, 'a missing key is a no-op');
  });

  it('fact 15: destroy is for good: 404 with destroyed, and undelete leaves it destroyed', async () => {
    const key = uniqueKey('destroy');
    await writeVersions('secret', key, 2);
    assert.equal((await vault.put(`secret/destroy/${key}`, { versions: [1] })).status, 204);
    const read = await vault.get(`secret/data/${key}?version=1`);
    assert.equal(read.status, 404);
    assert.equal(metadataOf(read).destroyed, true);
    assert.equal(dataOf(read).data, null);
    assert.equal((await vault.post(`secret/undelete/${key}`, { versions: [1] })).status, 204);
    assert.equal(metadataOf(await vault.get(`secret/data/${key}?version=1`)).destroyed, true);
    assert.equal((await vault.get(`secret/data/${key}?version=2`)).status, 200);
  });

  it('fact 16: the metadata of a key written once', async () => {
    const key = uniqueKey('meta');
    await writeVersions('secret', key, 1);
    const metadata = dataOf(await vault.get(`secret/metadata/${key}`));
    assert.equal(metadata.current_version, 1);
    assert.equal(metadata.oldest_version, 0);
    assert.equal(metadata.max_versions, 0);
    assert.equal(metadata.cas_required, false);
    assert.equal(metadata.delete_version_after, '0s');
    assert.equal(metadata.custom_metadata, null);
    assert.equal(metadata.updated_time, (metadata.versions as Record<string, { created_time: string }>)['1']?.created_time);
  });

  it('fact 17: lowering max_versions prunes at the next write', async () => {
    const key = uniqueKey('prune');
    await writeVersions('secret', key, 10);
    assert.equal(dataOf(await vault.get(`secret/metadata/${key}`)).oldest_version, 1);
    await vault.post(`secret/metadata/${key}`, { max_versions: 2 });
    assert.equal(dataOf(await vault.post(`secret/data/${key}`, { data: { index: 11 } })).version, 11);
    const metadata = dataOf(await vault.get(`secret/metadata/${key}`));
    assert.deepEqual(Object.keys(metadata.versions as Versions).sort(), ['10', '11']);
    assert.equal(metadata.oldest_version, 10);
    assert.deepEqual((await vault.get(`secret/data/${key}?version=9`)).json, { errors: [] });
  });

  it('fact 18: max_versions 1 keeps only the newest version', async () => {
    const key = uniqueKey('max-one');
    await vault.post(`secret/metadata/${key}`, { max_versions: 3, cas_required: true });
    for (const cas of [0, 1, 2]) {
      await vault.post(`secret/data/${key}`, { data: { cas }, options: { cas } });
    }
    await vault.post(`secret/metadata/${key}`, { max_versions: 1, cas_required: false });
    assert.equal(dataOf(await vault.post(`secret/data/${key}`, { data: { last: true } })).version, 4);
    const metadata = dataOf(await vault.get(`secret/metadata/${key}`));
    assert.equal(metadata.current_version, 4);
    assert.equal(metadata.oldest_version, 4);
    assert.deepEqual(Object.keys(metadata.versions as Versions), ['4']);
  });

  it('fact 7, 19, 26: the mount config requires CAS, and the larger max_versions wins', async () => {
    const configured = await vault.post(`${ISOLATED}/config`, { max_versions: 4, cas_required: true, delete_version_after: '5m' });
    assert.equal(configured.status, 204);
    assert.deepEqual(dataOf(await vault.get(`${ISOLATED}/config`)), { cas_required: true, delete_version_after: '5m0s', max_versions: 4 });
    const key = uniqueKey('config');
    assert.deepEqual((await vault.post(`${ISOLATED}/data/${key}`, { data: { a: 1 } })).json, { errors: ['check-and-set parameter required for this call'] });
    const created = await vault.post(`${ISOLATED}/data/${key}`, { data: { a: 1 }, options: { cas: 0 } });
    assert.equal(created.status, 200);
    assert.notEqual(dataOf(created).deletion_time, '', 'the mount schedules deletion of every new version');
    const warned = await vault.post(`${ISOLATED}/metadata/${key}`, { cas_required: false });
    assert.equal(warned.status, 200);
    assert.deepEqual(warned.json?.warnings, ['"cas_required" set to false, but is mandated by backend config. This value will be ignored.']);

    await vault.post(`${ISOLATED}/config`, { max_versions: 5, cas_required: false, delete_version_after: '-1h' });
    assert.deepEqual(dataOf(await vault.get(`${ISOLATED}/config`)), { cas_required: false, delete_version_after: '-1s', max_versions: 5 });
    const pruned = uniqueKey('larger-wins');
    await vault.post(`${ISOLATED}/metadata/${pruned}`, { max_versions: 2 });
    await writeVersions(ISOLATED, pruned, 6);
    assert.deepEqual(Object.keys(await versionsOf(ISOLATED, pruned)).sort(), ['2', '3', '4', '5', '6']);
    assert.deepEqual(dataOf(await vault.get('secret/config')), { cas_required: false, delete_version_after: '0s', max_versions: 0 }, 'other mounts keep their config');
  });

  it('fact 27: DELETE metadata forgets the key; the next write is version 1', async () => {
    const key = uniqueKey('forget');
    await writeVersions('secret', key, 6);
    assert.equal((await vault.delete(`secret/metadata/${key}`)).status, 204);
    assert.equal((await vault.get(`secret/data/${key}`)).status, 404);
    assert.equal((await vault.get(`secret/metadata/${key}`)).status, 404);
    assert.equal(dataOf(await vault.post(`secret/data/${key}`, { data: { again: true } })).version, 1);
    assert.equal((await vault.delete(`secret/metadata/${uniqueKey('missing')}`)).status, 204);
  });

  it('schedules deletion with delete_version_after and reads the version as deleted once it passes', async () => {
    const key = uniqueKey('expiring');
    await vault.post(`secret/metadata/${key}`, { delete_version_after: '1s' });
    const written = await vault.post(`secret/data/${key}`, { data: { short: 'lived' } });
    const scheduled = String(dataOf(written).deletion_time);
    assert.ok(Date.parse(scheduled) > Date.parse(String(dataOf(written).created_time)));
    assert.equal((await vault.get(`secret/data/${key}`)).status, 200);
    let read = await vault.get(`secret/data/${key}`);
    for (let attempt = 0; attempt < 50 && read.status === 200; attempt += 1) {
      await sleep(100);
      read = await vault.get(`secret/data/${key}`);
    }
    assert.equal(read.status, 404);
    assert.equal(metadataOf(read).deletion_time, scheduled);
    assert.equal((await vault.post(`secret/undelete/${key}`, { versions: [1] })).status, 204);
    assert.equal((await vault.get(`secret/data/${key}`)).status, 200, 'undelete re-arms the timer');
  });
});
