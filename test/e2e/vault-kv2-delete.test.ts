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
  RFC3339_UTC,
  uniqueKey,
  VERSION_METADATA_KEYS,
  vaultHttp,
  type VaultAnswer,
  type VaultHttp,
} from '../helpers/vault-http.js';

type Versions = Record<string, { created_time: string; deletion_time: string; destroyed: boolean }>;

/** Section 7, facts 10–15 and 27: soft delete, undelete, destroy and forgetting a key (§3.6–3.9, §3.15). */
describe('Vault KV v2: delete, undelete, destroy', () => {
  let server: TestServer;
  let vault: VaultHttp;
  before(async () => {
    server = await startServer();
    vault = vaultHttp(server);
  });
  after(async () => server.stop());

  const writeVersions = async (key: string, count: number): Promise<void> => {
    for (let index = 1; index <= count; index += 1) {
      assert.equal(assertEnvelope(await vault.post(`secret/data/${key}`, { data: { index } })).version, index);
    }
  };
  const versionsOf = async (key: string): Promise<Versions> => dataOf(await vault.get(`secret/metadata/${key}`)).versions as Versions;
  const deletedIn = (versions: Versions): string[] =>
    Object.entries(versions)
      .filter(([, info]) => info.deletion_time !== '')
      .map(([version]) => version)
      .sort((a, b) => Number(a) - Number(b));

  /** A deleted or destroyed version: 404 with the whole envelope and no `errors` key (§1.4). */
  const assertUnreadable = (read: VaultAnswer, version: number, destroyed: boolean): Record<string, unknown> => {
    assert.equal(read.status, 404, read.text);
    assert.equal(read.contentType, 'application/json');
    assert.deepEqual(Object.keys(read.json ?? {}), ENVELOPE_KEYS, read.text);
    assert.equal(read.json?.errors, undefined);
    assert.deepEqual(Object.keys(dataOf(read)).sort(), ['data', 'metadata']);
    assert.equal(dataOf(read).data, null);
    const metadata = metadataOf(read);
    assert.deepEqual(Object.keys(metadata).sort(), VERSION_METADATA_KEYS);
    assert.equal(metadata.version, version);
    assert.equal(metadata.destroyed, destroyed);
    return metadata;
  };

  it('fact 10: DELETE data soft-deletes the current version, which then reads as 404 with its metadata', async () => {
    const key = uniqueKey('foo');
    await writeVersions(key, 1);
    assertNoContent(await vault.delete(`secret/data/${key}`));
    const metadata = assertUnreadable(await vault.get(`secret/data/${key}`), 1, false);
    assert.match(String(metadata.deletion_time), RFC3339_UTC);
    assert.ok(Date.parse(String(metadata.deletion_time)) <= Date.now() + 1000);
    const keyMetadata = dataOf(await vault.get(`secret/metadata/${key}`));
    assert.equal(keyMetadata.current_version, 1);
    assert.equal((keyMetadata.versions as Versions)['1']?.deletion_time, metadata.deletion_time);
    assert.equal((keyMetadata.versions as Versions)['1']?.destroyed, false);
  });

  it('DELETE data again changes nothing: the first deletion time stays', async () => {
    const key = uniqueKey('twice');
    await writeVersions(key, 2);
    assertNoContent(await vault.delete(`secret/data/${key}`));
    const first = (await versionsOf(key))['2']?.deletion_time;
    assertNoContent(await vault.delete(`secret/data/${key}`));
    const versions = await versionsOf(key);
    assert.equal(versions['2']?.deletion_time, first);
    assert.equal(versions['1']?.deletion_time, '', 'only the current version is deleted');
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}?version=1`)).data, { index: 1 });
  });

  it('fact 11: DELETE data of a key never written is 204 and creates nothing', async () => {
    const key = uniqueKey('never-written');
    assertNoContent(await vault.delete(`secret/data/${key}`));
    assertVaultError(await vault.get(`secret/metadata/${key}`), 404, []);
    assertNoContent(await vault.post(`secret/delete/${key}`, { versions: [1] }));
    assertNoContent(await vault.post(`secret/undelete/${key}`, { versions: [1] }));
    assertNoContent(await vault.put(`secret/destroy/${key}`, { versions: [1] }));
    assertVaultError(await vault.get(`secret/metadata/${key}`), 404, []);
  });

  it('fact 12: versions as a comma-separated string delete, and as an array undelete', async () => {
    const key = uniqueKey('foo');
    await writeVersions(key, 2);
    assertNoContent(await vault.post(`secret/delete/${key}`, { versions: '1,2' }));
    assert.deepEqual(deletedIn(await versionsOf(key)), ['1', '2']);
    assertUnreadable(await vault.get(`secret/data/${key}?version=1`), 1, false);
    assertNoContent(await vault.post(`secret/undelete/${key}`, { versions: [1, 2] }));
    const versions = await versionsOf(key);
    assert.equal(versions['1']?.deletion_time, '');
    assert.equal(versions['2']?.deletion_time, '');
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}?version=1`)).data, { index: 1 });
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}`)).data, { index: 2 });
  });

  it('fact 13: delete touches only the listed versions, and ignores versions that do not exist', async () => {
    const key = uniqueKey('hvac');
    await writeVersions(key, 7);
    assertNoContent(await vault.post(`secret/delete/${key}`, { versions: [1, 3, 7] }));
    assert.deepEqual(deletedIn(await versionsOf(key)), ['1', '3', '7']);
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}?version=2`)).data, { index: 2 });

    const small = uniqueKey('hvac-small');
    await writeVersions(small, 3);
    const before = await versionsOf(small);
    assertNoContent(await vault.post(`secret/delete/${small}`, { versions: [7, 12] }));
    assert.deepEqual(await versionsOf(small), before, 'nothing changes');
    assert.equal(dataOf(await vault.get(`secret/metadata/${small}`)).current_version, 3);
  });

  it('takes a single version number too', async () => {
    const key = uniqueKey('single');
    await writeVersions(key, 2);
    assertNoContent(await vault.put(`secret/delete/${key}`, { versions: 1 }));
    assert.deepEqual(deletedIn(await versionsOf(key)), ['1']);
    assertNoContent(await vault.put(`secret/undelete/${key}`, { versions: '1' }));
    assert.deepEqual(deletedIn(await versionsOf(key)), []);
  });

  it('fact 14: an empty version list is refused in Vault\'s two wordings, even for a missing key', async () => {
    const existing = uniqueKey('foo');
    await writeVersions(existing, 1);
    for (const key of [existing, uniqueKey('absent')]) {
      assertVaultError(await vault.post(`secret/delete/${key}`, { versions: [] }), 400, ['No version number provided']);
      assertVaultError(await vault.post(`secret/undelete/${key}`, { versions: [] }), 400, ['No version number provided']);
      assertVaultError(await vault.post(`secret/delete/${key}`, {}), 400, ['No version number provided']);
      assertVaultError(await vault.put(`secret/destroy/${key}`, { versions: [] }), 400, ['no version number provided']);
      assertVaultError(await vault.post(`secret/destroy/${key}`, {}), 400, ['no version number provided']);
    }
    const versions = await versionsOf(existing);
    assert.deepEqual(Object.keys(versions), ['1']);
    assert.equal(versions['1']?.deletion_time, '', 'refused requests delete nothing');
    assert.equal(versions['1']?.destroyed, false);
    assert.deepEqual(dataOf(await vault.get(`secret/data/${existing}`)).data, { index: 1 });
  });

  it('fact 15: destroy is for good: 404 with destroyed, no data, and undelete cannot bring it back', async () => {
    const key = uniqueKey('foo');
    await writeVersions(key, 2);
    assertNoContent(await vault.put(`secret/destroy/${key}`, { versions: [1] }));
    const metadata = assertUnreadable(await vault.get(`secret/data/${key}?version=1`), 1, true);
    assert.equal(metadata.deletion_time, '', 'destroy leaves deletion_time as it was');
    assertNoContent(await vault.post(`secret/undelete/${key}`, { versions: [1] }));
    assertUnreadable(await vault.get(`secret/data/${key}?version=1`), 1, true);
    const versions = await versionsOf(key);
    assert.equal(versions['1']?.destroyed, true);
    assert.equal(versions['2']?.destroyed, false);
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}`)).data, { index: 2 });
  });

  it('destroys through POST as well, also a version that was soft-deleted first', async () => {
    const key = uniqueKey('post-destroy');
    await writeVersions(key, 2);
    assertNoContent(await vault.delete(`secret/data/${key}`));
    const deletionTime = (await versionsOf(key))['2']?.deletion_time;
    assertNoContent(await vault.post(`secret/destroy/${key}`, { versions: [2] }));
    const metadata = assertUnreadable(await vault.get(`secret/data/${key}`), 2, true);
    assert.equal(metadata.deletion_time, deletionTime);
  });

  it('fact 27: DELETE metadata forgets the key and every version; the next write is version 1', async () => {
    const key = uniqueKey('foo');
    await writeVersions(key, 6);
    assertNoContent(await vault.delete(`secret/metadata/${key}`));
    assertVaultError(await vault.get(`secret/data/${key}`), 404, []);
    assertVaultError(await vault.get(`secret/data/${key}?version=3`), 404, []);
    assertVaultError(await vault.get(`secret/metadata/${key}`), 404, []);
    const rewritten = assertEnvelope(await vault.post(`secret/data/${key}`, { data: { again: true } }));
    assert.equal(rewritten.version, 1);
    const metadata = dataOf(await vault.get(`secret/metadata/${key}`));
    assert.equal(metadata.current_version, 1);
    assert.deepEqual(Object.keys(metadata.versions as Versions), ['1']);
    assertNoContent(await vault.delete(`secret/metadata/${uniqueKey('missing')}`));
  });
});
