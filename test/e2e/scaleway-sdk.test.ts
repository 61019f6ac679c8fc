import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createClient, Errors } from '@scaleway/sdk-client';
import { Secretv1beta1 } from '@scaleway/sdk-secret';
import { ENGINES, startServerOn, type TestServer } from '../helpers/server.js';
import { b64, uniqueName, unb64 } from '../helpers/wire.js';

/** The official Scaleway JS SDK, unchanged, against a real Coffer process. */
const clientFor = (server: TestServer, extra: { defaultPageSize?: number; secretKey?: string } = {}) =>
  createClient({
    accessKey: server.accessKey,
    secretKey: extra.secretKey ?? server.secretKey,
    apiURL: server.url,
    defaultProjectId: server.projectId,
    defaultRegion: 'fr-par',
    ...(extra.defaultPageSize ? { defaultPageSize: extra.defaultPageSize } : {}),
  });

/** Runs `promise`, expects it to throw an instance of `kind`, and returns the error. */
const rejection = async <T extends Error>(promise: Promise<unknown>, kind: new (...args: never[]) => T): Promise<T> => {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof kind, `expected ${kind.name}, got ${String(error)}`);
    assert.equal(error.name, kind.name);
    return error;
  }
  assert.fail(`expected ${kind.name}, but the call succeeded`);
};

for (const engine of ENGINES) {
  describe(`Scaleway JS SDK on ${engine}`, () => {
    let stop: () => Promise<void>;
    let server: TestServer;
    let api: Secretv1beta1.API;

    before(async () => {
      const started = await startServerOn(engine);
      server = started.server;
      stop = started.stop;
      api = new Secretv1beta1.API(clientFor(server));
    });
    after(async () => stop());

    it('quickstart: opaque secret, one version, access latest', async () => {
      const name = uniqueName('quickstart');
      const secret = await api.createSecret({ name, protected: false });
      assert.equal(secret.name, name);
      assert.equal(secret.projectId, server.projectId);
      assert.equal(secret.type, 'opaque');
      assert.equal(secret.status, 'ready');
      assert.equal(secret.path, '/');
      assert.equal(secret.region, 'fr-par');
      assert.equal(secret.versionCount, 0);
      assert.deepEqual(secret.tags, []);
      assert.deepEqual(secret.usedBy, []);
      assert.ok(secret.createdAt instanceof Date && !Number.isNaN(secret.createdAt.getTime()));
      assert.equal(secret.deletionRequestedAt, undefined);

      const version = await api.createSecretVersion({ secretId: secret.id, data: b64('my_super_secret') });
      assert.equal(version.revision, 1);
      assert.equal(version.status, 'enabled');
      assert.equal(version.latest, true);
      assert.equal(version.secretId, secret.id);

      const accessed = await api.accessSecretVersion({ secretId: secret.id, revision: 'latest' });
      assert.equal(accessed.secretId, secret.id);
      assert.equal(accessed.revision, 1);
      assert.equal(unb64(accessed.data), 'my_super_secret');
      assert.equal(accessed.type, 'opaque');
      assert.equal(accessed.dataCrc32 ?? null, null);
      assert.equal((await api.getSecret({ secretId: secret.id })).versionCount, 1);
    });

    it('quickstart: basic_credentials secret read back, and access by path', async () => {
      const name = uniqueName('creds');
      const secret = await api.createSecret({ name, type: 'basic_credentials', path: '/quickstart/db/', protected: false });
      assert.equal(secret.type, 'basic_credentials');
      assert.equal(secret.path, '/quickstart/db');
      const credentials = { username: 'admin', password: 'p@ss:wörd' };
      await api.createSecretVersion({ secretId: secret.id, data: b64(JSON.stringify(credentials)), description: 'v1' });

      const read = await api.accessSecretVersion({ secretId: secret.id, revision: '1' });
      assert.equal(read.type, 'basic_credentials');
      assert.deepEqual(JSON.parse(unb64(read.data)), credentials);

      const byPath = await api.accessSecretVersionByPath({ secretPath: '/quickstart/db', secretName: name, revision: 'latest' });
      assert.equal(byPath.secretId, secret.id);
      assert.deepEqual(JSON.parse(unb64(byPath.data)), credentials);
      const missing = await rejection(
        api.accessSecretVersionByPath({ secretPath: '/quickstart', secretName: name, revision: 'latest' }),
        Errors.ResourceNotFoundError,
      );
      assert.equal(missing.status, 404);
    });

    it('getSecret and updateSecret', async () => {
      const secret = await api.createSecret({ name: uniqueName('upd'), tags: ['a'], description: 'first', protected: false });
      const fetched = await api.getSecret({ secretId: secret.id });
      assert.deepEqual(fetched, secret);
      const renamed = uniqueName('renamed');
      const updated = await api.updateSecret({ secretId: secret.id, name: renamed, tags: ['devtools', 'x'], description: 'second', path: '/moved/here/' });
      assert.equal(updated.name, renamed);
      assert.deepEqual(updated.tags, ['devtools', 'x']);
      assert.equal(updated.description, 'second');
      assert.equal(updated.path, '/moved/here');
      assert.equal(updated.createdAt?.getTime(), secret.createdAt?.getTime());
      assert.ok((updated.updatedAt?.getTime() ?? 0) >= (secret.updatedAt?.getTime() ?? Infinity));
      const cleared = await api.updateSecret({ secretId: secret.id, tags: [], description: '' });
      assert.deepEqual(cleared.tags, []);
      assert.equal(cleared.description, '');
      assert.equal(cleared.name, renamed);
    });

    it('listSecrets filters, and .all() walks several pages', async () => {
      const tag = uniqueName('page');
      const names = ['p-c', 'p-a', 'p-e', 'p-b', 'p-d'].map((prefix) => `${prefix}-${tag}`);
      for (const name of names) {
        await api.createSecret({ name, tags: [tag], protected: false });
      }
      const first = await api.listSecrets({ scheduledForDeletion: false, tags: [tag], pageSize: 2 });
      assert.equal(first.totalCount, 5);
      assert.deepEqual(first.secrets.map((secret) => secret.name), [...names].sort().slice(0, 2));

      const paged = new Secretv1beta1.API(clientFor(server, { defaultPageSize: 2 }));
      const all = await paged.listSecrets({ scheduledForDeletion: false, tags: [tag] }).all();
      assert.deepEqual(all.map((secret) => secret.name), [...names].sort());
      const desc = await paged.listSecrets({ scheduledForDeletion: false, tags: [tag], orderBy: 'name_desc' }).all();
      assert.deepEqual(desc.map((secret) => secret.name), [...names].sort().reverse());

      const byName = await api.listSecrets({ scheduledForDeletion: false, name: names[0] });
      assert.deepEqual(byName.secrets.map((secret) => secret.name), [names[0]]);
      assert.equal(byName.totalCount, 1);
      const byProject = await api.listSecrets({ scheduledForDeletion: false, projectId: server.projectId, tags: [tag], type: 'opaque' });
      assert.equal(byProject.totalCount, 5);
      const otherType = await api.listSecrets({ scheduledForDeletion: false, tags: [tag], type: 'key_value' });
      assert.equal(otherType.totalCount, 0);
    });

    it('browseSecrets shows folders and the secrets at the prefix', async () => {
      const root = `/${uniqueName('browse')}`;
      const here = await api.createSecret({ name: 'here', path: root, protected: false });
      await api.createSecret({ name: 'deep', path: `${root}/team/app`, protected: false });
      await api.createSecret({ name: 'other', path: `${root}/zeta`, protected: false });
      const browsed = await api.browseSecrets({ prefix: `${root}/` });
      assert.equal(browsed.currentPath, root);
      assert.equal(browsed.totalCount, 3);
      const summary = browsed.items.map((item) => [item.name, item.secret ? 'secret' : 'folder']);
      assert.deepEqual(summary, [['here', 'secret'], ['team', 'folder'], ['zeta', 'folder']]);
      const secretItem = browsed.items[0];
      assert.equal(secretItem?.secret?.id, here.id);
      assert.equal(secretItem?.folder, undefined);
      assert.deepEqual(browsed.items[1]?.folder, {});
      const nested = await api.browseSecrets({ prefix: `${root}/team` });
      assert.deepEqual(nested.items.map((item) => item.name), ['app']);
    });

    it('protect, unprotect, and the protected-delete precondition', async () => {
      const secret = await api.createSecret({ name: uniqueName('prot'), protected: false });
      const protectedSecret = await api.protectSecret({ secretId: secret.id });
      assert.equal(protectedSecret.protected, true);
      assert.equal(protectedSecret.updatedAt?.getTime(), secret.updatedAt?.getTime());
      const error = await rejection(api.deleteSecret({ secretId: secret.id }), Errors.PreconditionFailedError);
      assert.equal(error.status, 412);
      assert.equal(error.precondition, 'protected_resource');
      assert.equal(error.helpMessage, 'cannot delete a protected secret');
      assert.match(error.message, /cannot delete a protected secret/);
      assert.equal((await api.getSecret({ secretId: secret.id })).deletionRequestedAt, undefined);
      const unprotected = await api.unprotectSecret({ secretId: secret.id });
      assert.equal(unprotected.protected, false);
      await api.deleteSecret({ secretId: secret.id });
    });

    it('addSecretOwner adds a product once', async () => {
      const secret = await api.createSecret({ name: uniqueName('owner'), protected: false });
      assert.equal(await api.addSecretOwner({ secretId: secret.id, product: 'edge_services' }), undefined);
      await api.addSecretOwner({ secretId: secret.id, product: 'edge_services' });
      await api.addSecretOwner({ secretId: secret.id, product: 's2s_vpn' });
      assert.deepEqual((await api.getSecret({ secretId: secret.id })).usedBy, ['edge_services', 's2s_vpn']);
    });

    it('deleteSecret schedules deletion and restoreSecret undoes it', async () => {
      const secret = await api.createSecret({ name: uniqueName('del'), protected: false });
      await api.createSecretVersion({ secretId: secret.id, data: b64('v1') });
      assert.equal(await api.deleteSecret({ secretId: secret.id }), undefined);
      const scheduled = await api.getSecret({ secretId: secret.id });
      assert.ok(scheduled.deletionRequestedAt instanceof Date);
      assert.equal(scheduled.versionCount, 1);
      const listed = await api.listSecrets({ scheduledForDeletion: false, name: secret.name });
      assert.equal(listed.totalCount, 0);
      const pending = await api.listSecrets({ scheduledForDeletion: true, name: secret.name });
      assert.deepEqual(pending.secrets.map((item) => item.id), [secret.id]);
      const refused = await rejection(api.accessSecretVersion({ secretId: secret.id, revision: '1' }), Errors.PreconditionFailedError);
      assert.equal(refused.status, 412);

      const restored = await api.restoreSecret({ secretId: secret.id });
      assert.equal(restored.deletionRequestedAt, undefined);
      assert.equal(unb64((await api.accessSecretVersion({ secretId: secret.id, revision: '1' })).data), 'v1');
      assert.equal((await api.listSecrets({ scheduledForDeletion: false, name: secret.name })).totalCount, 1);
    });

    it('every version endpoint', async () => {
      const secret = await api.createSecret({ name: uniqueName('ver'), protected: false });
      for (const value of ['one', 'two', 'three']) {
        await api.createSecretVersion({ secretId: secret.id, data: b64(value), description: value });
      }
      const list = await api.listSecretVersions({ secretId: secret.id });
      assert.equal(list.totalCount, 3);
      assert.deepEqual(list.versions.map((version) => [version.revision, version.latest]), [[3, true], [2, false], [1, false]]);
      const all = await api.listSecretVersions({ secretId: secret.id, pageSize: 1 }).all();
      assert.deepEqual(all.map((version) => version.revision), [3, 2, 1]);

      const latest = await api.getSecretVersion({ secretId: secret.id, revision: 'latest' });
      assert.equal(latest.revision, 3);
      assert.equal(latest.description, 'three');
      const described = await api.updateSecretVersion({ secretId: secret.id, revision: '2', description: 'second' });
      assert.equal(described.description, 'second');
      assert.equal(described.createdAt?.getTime(), list.versions[1]?.createdAt?.getTime());

      const disabled = await api.disableSecretVersion({ secretId: secret.id, revision: '3' });
      assert.equal(disabled.status, 'disabled');
      const refused = await rejection(api.accessSecretVersion({ secretId: secret.id, revision: 'latest' }), Errors.PreconditionFailedError);
      assert.equal(refused.status, 412);
      const fallback = await api.accessSecretVersion({ secretId: secret.id, revision: 'latest_enabled' });
      assert.equal(fallback.revision, 2);
      assert.equal(unb64(fallback.data), 'two');
      const onlyDisabled = await api.listSecretVersions({ secretId: secret.id, status: ['disabled'] });
      assert.deepEqual(onlyDisabled.versions.map((version) => version.revision), [3]);
      assert.equal((await api.enableSecretVersion({ secretId: secret.id, revision: '3' })).status, 'enabled');
      assert.equal(unb64((await api.accessSecretVersion({ secretId: secret.id, revision: 'latest' })).data), 'three');

      assert.equal(await api.deleteSecretVersion({ secretId: secret.id, revision: '1' }), undefined);
      const scheduled = await api.getSecretVersion({ secretId: secret.id, revision: '1' });
      assert.equal(scheduled.status, 'scheduled_for_deletion');
      assert.ok(scheduled.deletionRequestedAt instanceof Date);
      await rejection(api.accessSecretVersion({ secretId: secret.id, revision: '1' }), Errors.PreconditionFailedError);
      const restored = await api.restoreSecretVersion({ secretId: secret.id, revision: '1' });
      assert.equal(restored.status, 'enabled');
      assert.equal(restored.deletionRequestedAt, undefined);
      assert.equal(unb64((await api.accessSecretVersion({ secretId: secret.id, revision: '1' })).data), 'one');
    });

    it('listTags and listSecretTypes', async () => {
      const tag = uniqueName('tag');
      await api.createSecret({ name: uniqueName('t1'), tags: [tag, `${tag}-b`], type: 'ssh_key', protected: false });
      const tags = await api.listTags().all();
      assert.ok(tags.includes(tag) && tags.includes(`${tag}-b`), JSON.stringify(tags));
      assert.equal(new Set(tags).size, tags.length);
      const page = await api.listTags({ pageSize: 1 });
      assert.equal(page.tags.length, 1);
      assert.equal(page.totalCount, tags.length);
      const types = await api.listSecretTypes().all();
      assert.ok(types.includes('ssh_key') && types.includes('opaque') && types.includes('basic_credentials'), JSON.stringify(types));
      assert.ok(!types.includes('certificate'), 'no certificate secret was created');
    });

    it('typed errors: not found, already exists, invalid arguments, denied authentication', async () => {
      const ghost = randomUUID();
      const notFound = await rejection(api.getSecret({ secretId: ghost }), Errors.ResourceNotFoundError);
      assert.equal(notFound.status, 404);
      assert.equal(notFound.resource, 'secret');
      assert.equal(notFound.resourceId, ghost);

      const secret = await api.createSecret({ name: uniqueName('dup'), type: 'key_value', protected: false });
      const duplicate = await rejection(api.createSecret({ name: secret.name, protected: false }), Errors.AlreadyExistsError);
      assert.equal(duplicate.status, 409);
      assert.equal(duplicate.resource, 'secret');

      const invalid = await rejection(
        api.createSecretVersion({ secretId: secret.id, data: b64('{"key": "value", "invalid": {}}') }),
        Errors.InvalidArgumentsError,
      );
      assert.equal(invalid.status, 400);
      assert.deepEqual(invalid.details, [
        { argumentName: 'data', reason: 'format', helpMessage: '- invalid: Invalid type. Expected: string, given: object\n' },
      ]);
      assert.equal((await api.getSecret({ secretId: secret.id })).versionCount, 0);

      const missingVersion = await rejection(api.getSecretVersion({ secretId: secret.id, revision: '7' }), Errors.ResourceNotFoundError);
      assert.equal(missingVersion.resource, 'secret_version');

      const stranger = new Secretv1beta1.API(clientFor(server, { secretKey: randomUUID() }));
      const denied = await rejection(stranger.getSecret({ secretId: secret.id }), Errors.DeniedAuthenticationError);
      assert.equal(denied.status, 401);
      assert.equal(denied.method, 'api_key');
    });
  });
}
