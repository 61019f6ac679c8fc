import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Secret, SecretVersion, VersionPlan } from '../../core/secrets/index.js';
import { AppError } from '../../shared/errors.js';
import type { Storage } from '../index.js';

export interface OpenedStorage {
  storage: Storage;
  cleanup(): Promise<void>;
}

const page = { page: 1, pageSize: 50 };
const organizationId = randomUUID();

export const buildSecret = (overrides: Partial<Secret> = {}): Secret => ({
  id: randomUUID(),
  region: 'fr-par',
  organizationId,
  projectId: randomUUID(),
  name: `secret-${randomBytes(4).toString('hex')}`,
  path: '/',
  type: 'opaque',
  description: '',
  tags: [],
  protected: false,
  ephemeralPolicy: null,
  usedBy: [],
  keyId: null,
  versionCount: 0,
  createdAt: 1_000_000,
  updatedAt: 1_000_000,
  deletionRequestedAt: null,
  ...overrides,
});

const plan = (secretId: string, revision: number, overrides: Partial<SecretVersion> = {}): VersionPlan => ({
  version: {
    secretId,
    revision,
    status: 'enabled',
    description: '',
    createdAt: 2_000_000 + revision,
    updatedAt: 2_000_000 + revision,
    deletedAt: null,
    deletionRequestedAt: null,
    statusBeforeDeletion: null,
    ephemeral: null,
    checksumAlgorithm: null,
    ...overrides,
  },
  sealed: { dekId: randomUUID(), kekId: 'kek-1', wrappedDek: randomBytes(61), ciphertext: randomBytes(40) },
  disablePrevious: false,
});

const rejectsWith = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;

/** The contract every storage adapter must meet; each adapter's test calls this once. */
export const runStoreConformanceSuite = (name: string, open: () => Promise<OpenedStorage>): void => {
  describe(`storage conformance: ${name}`, () => {
    let opened: OpenedStorage;
    let storage: Storage;
    before(async () => {
      opened = await open();
      storage = opened.storage;
    });
    after(async () => opened.cleanup());

    it('refuses a second active secret with the same region, project, path and name', async () => {
      const first = buildSecret();
      await storage.secrets.insertSecret(first);
      await assert.rejects(storage.secrets.insertSecret(buildSecret({ projectId: first.projectId, name: first.name })), rejectsWith('already_exists'));
      await storage.secrets.insertSecret(buildSecret({ projectId: first.projectId, name: first.name, path: '/other' }));
      await storage.secrets.updateSecret('fr-par', first.id, (secret) => ({ secret: { ...secret, deletionRequestedAt: 5 } }));
      await storage.secrets.insertSecret(buildSecret({ projectId: first.projectId, name: first.name }));
    });

    it('hands out gapless, unique revisions to concurrent appends', async () => {
      const secret = buildSecret();
      await storage.secrets.insertSecret(secret);
      const results = await Promise.all(
        Array.from({ length: 50 }, () => storage.secrets.appendVersion('fr-par', secret.id, (_current, revision) => plan(secret.id, revision))),
      );
      const revisions = results.map((result) => result.version.revision).sort((a, b) => a - b);
      assert.deepEqual(revisions, Array.from({ length: 50 }, (_, index) => index + 1));
      assert.equal((await storage.secrets.getSecret('fr-par', secret.id))?.versionCount, 50);
    });

    it('writes nothing when the builder throws', async () => {
      const secret = buildSecret();
      await storage.secrets.insertSecret(secret);
      await assert.rejects(
        storage.secrets.appendVersion('fr-par', secret.id, () => {
          throw new AppError('failed_precondition', 'no');
        }),
        rejectsWith('failed_precondition'),
      );
      assert.equal((await storage.secrets.getSecret('fr-par', secret.id))?.versionCount, 0);
      assert.equal((await storage.secrets.listVersions(secret.id, [], page)).totalCount, 0);
    });

    it('resolves latest and latest_enabled, and disables the previous version on request', async () => {
      const secret = buildSecret();
      await storage.secrets.insertSecret(secret);
      await storage.secrets.appendVersion('fr-par', secret.id, (_s, revision) => plan(secret.id, revision));
      await storage.secrets.appendVersion('fr-par', secret.id, (_s, revision) => ({ ...plan(secret.id, revision), disablePrevious: true }));
      assert.equal((await storage.secrets.getVersion(secret.id, 1))?.status, 'disabled');
      await storage.secrets.updateVersion(secret.id, 2, (version) => ({ ...version, status: 'disabled' }));
      await storage.secrets.updateVersion(secret.id, 1, (version) => ({ ...version, status: 'enabled' }));
      assert.equal((await storage.secrets.getVersion(secret.id, 'latest'))?.revision, 2);
      assert.equal((await storage.secrets.getVersion(secret.id, 'latest_enabled'))?.revision, 1);
      const read = await storage.secrets.readVersionWithPayload('fr-par', secret.id, 'latest_enabled');
      assert.equal(read?.version.revision, 1);
      assert.equal(read?.secret.id, secret.id);
      assert.ok(read?.sealed && read.sealed.ciphertext.length === 40);
      assert.equal(await storage.secrets.readVersionWithPayload('nl-ams', secret.id, 'latest'), null);
      await assert.rejects(storage.secrets.updateVersion(secret.id, 9, (version) => version), rejectsWith('not_found'));
    });

    it('filters, orders and pages listings with an exact total', async () => {
      const projectId = randomUUID();
      const names = ['b', 'a', 'C', 'd_x'];
      for (const [index, secretName] of names.entries()) {
        await storage.secrets.insertSecret(
          buildSecret({ projectId, name: secretName, tags: index % 2 === 0 ? ['x', 'y'] : ['x'], path: index === 3 ? '/f/g' : '/', type: index === 0 ? 'key_value' : 'opaque', createdAt: index }),
        );
      }
      const filter = { region: 'fr-par', organizationId, projectId, name: null, path: null, pathPrefix: null, tags: [], type: null, ephemeral: null, scheduledForDeletion: false };
      const firstPage = await storage.secrets.listSecrets(filter, 'name_asc', { page: 1, pageSize: 3 });
      assert.deepEqual(firstPage.items.map((secret) => secret.name), ['C', 'a', 'b']);
      assert.equal(firstPage.totalCount, 4);
      assert.deepEqual((await storage.secrets.listSecrets(filter, 'name_asc', { page: 2, pageSize: 3 })).items.map((secret) => secret.name), ['d_x']);
      assert.deepEqual((await storage.secrets.listSecrets(filter, 'created_at_desc', page)).items.map((secret) => secret.name), ['d_x', 'C', 'a', 'b']);
      assert.deepEqual((await storage.secrets.listSecrets({ ...filter, tags: ['x', 'y'] }, 'name_asc', page)).items.map((secret) => secret.name), ['C', 'b']);
      assert.equal((await storage.secrets.listSecrets({ ...filter, pathPrefix: '/f' }, 'name_asc', page)).totalCount, 1);
      assert.equal((await storage.secrets.listSecrets({ ...filter, pathPrefix: '/f/g_' }, 'name_asc', page)).totalCount, 0);
      assert.equal((await storage.secrets.listSecrets({ ...filter, type: 'key_value' }, 'name_asc', page)).totalCount, 1);
      assert.deepEqual((await storage.secrets.listTags('fr-par', organizationId, projectId, page)).items, ['x', 'y']);
      assert.deepEqual((await storage.secrets.listTypes('fr-par', organizationId, projectId, page)).items, ['key_value', 'opaque']);
    });

    it('finds what the purge and expiry jobs must handle, and erases payloads', async () => {
      const secret = buildSecret({ deletionRequestedAt: 10 });
      await storage.secrets.insertSecret(secret);
      assert.ok((await storage.secrets.findSecretsDueForPurge(10, 1000)).includes(secret.id));
      assert.equal((await storage.secrets.findSecretsDueForPurge(9, 1000)).includes(secret.id), false);
      const live = buildSecret();
      await storage.secrets.insertSecret(live);
      await storage.secrets.appendVersion('fr-par', live.id, (_s, revision) =>
        plan(live.id, revision, { status: 'scheduled_for_deletion', deletionRequestedAt: 20 }),
      );
      await storage.secrets.appendVersion('fr-par', live.id, (_s, revision) =>
        plan(live.id, revision, { ephemeral: { expiresAt: 30, expiresOnceAccessed: false, action: 'disable' } }),
      );
      assert.deepEqual((await storage.secrets.findVersionsDueForPurge(20, 1000)).filter((due) => due.secretId === live.id), [{ secretId: live.id, revision: 1 }]);
      assert.deepEqual((await storage.secrets.findExpiredVersions(30, 1000)).filter((due) => due.secretId === live.id), [{ secretId: live.id, region: 'fr-par', revision: 2 }]);
      await storage.secrets.erasePayload(live.id, 1, 40);
      const erased = await storage.secrets.readVersionWithPayload('fr-par', live.id, 1);
      assert.equal(erased?.sealed, null);
      assert.equal(erased?.version.status, 'deleted');
      assert.equal(erased?.version.deletedAt, 40);
      await storage.secrets.purgeSecret(live.id);
      assert.equal(await storage.secrets.getSecret('fr-par', live.id), null);
      assert.equal(await storage.secrets.getVersion(live.id, 2), null);
    });

    it('keeps key generations unique and re-wraps data keys with compare-and-set', async () => {
      const projectId = randomUUID();
      const kek = { id: randomUUID(), projectId, region: 'fr-par', generation: 1, wrappedKey: randomBytes(61), createdAt: 1 };
      await storage.keys.insertKek(kek);
      await assert.rejects(storage.keys.insertKek({ ...kek, id: randomUUID() }), rejectsWith('already_exists'));
      await storage.keys.insertKek({ ...kek, id: randomUUID(), generation: 2 });
      assert.equal((await storage.keys.getActiveKek(projectId, 'fr-par'))?.generation, 2);
      const secret = buildSecret({ projectId });
      await storage.secrets.insertSecret(secret);
      await storage.secrets.appendVersion('fr-par', secret.id, (_s, revision) => ({
        ...plan(secret.id, revision),
        sealed: { dekId: 'd', kekId: kek.id, wrappedDek: randomBytes(61), ciphertext: randomBytes(9) },
      }));
      const scope = { projectId, region: 'fr-par' };
      assert.equal(await storage.keys.countDataKeysNotUnder(scope, 'new-kek'), 1);
      const [row] = await storage.keys.listDataKeysNotUnder(scope, 'new-kek', 10);
      assert.ok(row);
      assert.equal(await storage.keys.rewrapDataKey({ ...row, kekId: 'new-kek' }, 'someone-else'), false);
      assert.equal(await storage.keys.rewrapDataKey({ ...row, kekId: 'new-kek' }, kek.id), true);
      assert.equal(await storage.keys.countDataKeysNotUnder(scope, 'new-kek'), 0);
      assert.ok((await storage.keys.listKeyScopes()).some((listed) => listed.projectId === projectId));
    });

    it('bootstraps once', async () => {
      const org = { id: randomUUID(), name: 'o', createdAt: 1 };
      const project = { id: randomUUID(), organizationId: org.id, name: 'p', description: '', createdAt: 1, updatedAt: 1 };
      const key = {
        accessKey: 'SCWAAAAAAAAAAAAAAAAA',
        secretKeyHash: randomBytes(32),
        organizationId: org.id,
        defaultProjectId: project.id,
        description: '',
        role: 'admin' as const,
        createdAt: 1,
        expiresAt: null,
      };
      assert.equal(await storage.iam.bootstrap(org, project, key), true);
      assert.equal(await storage.iam.bootstrap({ ...org, id: randomUUID() }, project, key), false);
      assert.equal((await storage.iam.findApiKeyBySecretHash(key.secretKeyHash))?.accessKey, key.accessKey);
      assert.equal((await storage.iam.getProject(project.id))?.organizationId, org.id);
      assert.equal((await storage.iam.listProjects(org.id)).length, 1);
    });
  });
};
