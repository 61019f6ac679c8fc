import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { it } from 'node:test';
import type { CustomerKey, KeyFilter, KeyVersionRecord } from '../../core/kms/index.js';
import { AppError } from '../../shared/errors.js';
import { buildSecret, everything, fakeSealed, plan, REGION, withCode, type StorageRef } from './fixtures.js';

const buildKey = (overrides: Partial<CustomerKey> = {}): CustomerKey => ({
  id: randomUUID(),
  organizationId: randomUUID(),
  projectId: randomUUID(),
  region: REGION,
  name: `key-${randomBytes(4).toString('hex')}`,
  description: '',
  tags: [],
  usage: 'symmetric_encryption',
  algorithm: 'aes_256_gcm',
  state: 'enabled',
  stateBeforeDeletion: null,
  protected: false,
  origin: 'scaleway_kms',
  currentVersion: 1,
  rotationPolicy: null,
  rotatedAt: null,
  createdAt: 1_000_000,
  updatedAt: 1_000_000,
  deletionRequestedAt: null,
  ...overrides,
});

const buildVersion = (keyId: string, version: number): KeyVersionRecord => ({ id: randomUUID(), keyId, version, wrappedMaterial: randomBytes(61), createdAt: version });

const filterFor = (organizationId: string, overrides: Partial<KeyFilter> = {}): KeyFilter => ({
  region: REGION,
  organizationId,
  projectId: null,
  projectIds: null,
  name: null,
  tags: [],
  scheduledForDeletion: false,
  ...overrides,
});

export const kmsCases = (storage: StorageRef): void => {
  it('stores keys with their first version, reads them back whole, and lists them by filter and order', async () => {
    const organizationId = randomUUID();
    const projectId = randomUUID();
    const first = buildKey({ organizationId, projectId, name: 'b', tags: ['env:prod', 'a%b'], rotationPolicy: { periodSeconds: 86_400, nextRotationAt: 5 }, createdAt: 2 });
    const version = buildVersion(first.id, 1);
    await storage().kms.insertKey(first, version);
    const second = buildKey({ organizationId, name: 'a', createdAt: 1 });
    await storage().kms.insertKey(second, null);
    await storage().kms.insertKey(buildKey({ organizationId, name: 'c', state: 'scheduled_for_deletion', deletionRequestedAt: 3 }), null);
    assert.deepEqual(await storage().kms.getKey(first.id), first);
    assert.equal(await storage().kms.getKey(randomUUID()), null);
    assert.deepEqual(await storage().kms.getVersion(first.id, 1), version);
    assert.deepEqual(await storage().kms.getVersionById(version.id), version);
    assert.equal(await storage().kms.getVersion(first.id, 2), null);
    assert.deepEqual((await storage().kms.getKeys([first.id, second.id, randomUUID()])).map((key) => key.id).sort(), [first.id, second.id].sort());

    const names = async (overrides: Partial<KeyFilter>, order: 'name_asc' | 'name_desc' | 'created_at_asc' = 'name_asc') =>
      (await storage().kms.listKeys(filterFor(organizationId, overrides), order, everything)).items.map((key) => key.name);
    assert.deepEqual(await names({}), ['a', 'b']);
    assert.deepEqual(await names({}, 'name_desc'), ['b', 'a']);
    assert.deepEqual(await names({}, 'created_at_asc'), ['a', 'b']);
    assert.deepEqual(await names({ scheduledForDeletion: true }), ['c']);
    assert.deepEqual(await names({ projectId }), ['b']);
    assert.deepEqual(await names({ projectIds: [] }), []);
    assert.deepEqual(await names({ tags: ['env:prod'] }), ['b']);
    assert.deepEqual(await names({ tags: ['a%b'] }), ['b']);
    // LIKE's wildcards in a tag are literal: `a_b` is not `a%b`.
    assert.deepEqual(await names({ tags: ['a_b'] }), []);
    assert.deepEqual(await names({ tags: ['env'] }), []);
    assert.deepEqual(await names({ name: 'a' }), ['a']);
    const paged = await storage().kms.listKeys(filterFor(organizationId), 'name_asc', { page: 2, pageSize: 1 });
    assert.deepEqual({ names: paged.items.map((key) => key.name), total: paged.totalCount }, { names: ['b'], total: 2 });
  });

  it('changes a key under its lock, adds a version with it, and writes nothing when the change throws', async () => {
    const key = buildKey();
    await storage().kms.insertKey(key, buildVersion(key.id, 1));
    const next = buildVersion(key.id, 2);
    const rotated = await storage().kms.updateKey(key.id, (current) => ({ key: { ...current, currentVersion: 2, rotatedAt: 9, updatedAt: 9 }, newVersion: next }));
    assert.equal(rotated.currentVersion, 2);
    assert.deepEqual(await storage().kms.getKey(key.id), rotated);
    assert.deepEqual(await storage().kms.getVersion(key.id, 2), next);
    await assert.rejects(
      storage().kms.updateKey(key.id, (current) => {
        void current;
        throw new AppError('failed_precondition', 'no');
      }),
      withCode('failed_precondition'),
    );
    // A version number taken already is refused, and the key row with it.
    await assert.rejects(storage().kms.updateKey(key.id, (current) => ({ key: { ...current, name: 'renamed' }, newVersion: buildVersion(key.id, 2) })), withCode('already_exists'));
    assert.equal((await storage().kms.getKey(key.id))?.name, key.name);
    await assert.rejects(storage().kms.updateKey(randomUUID(), (current) => ({ key: current })), withCode('not_found'));
  });

  it("counts, lists and re-wraps the data keys of a key's secrets with compare-and-set", async () => {
    const key = buildKey();
    const v1 = buildVersion(key.id, 1);
    await storage().kms.insertKey(key, v1);
    const v2 = buildVersion(key.id, 2);
    await storage().kms.updateKey(key.id, (current) => ({ key: { ...current, currentVersion: 2 }, newVersion: v2 }));
    const secret = buildSecret({ keyId: key.id });
    await storage().secrets.insertSecret(secret);
    const other = buildSecret();
    await storage().secrets.insertSecret(other);
    for (const kekId of [v1.id, v1.id, v2.id, v1.id]) {
      await storage().secrets.appendVersion(REGION, secret.id, (_current, revision) => plan(secret.id, revision, {}, fakeSealed(kekId)));
    }
    await storage().secrets.appendVersion(REGION, other.id, (_current, revision) => plan(other.id, revision, {}, fakeSealed(v1.id)));
    await storage().secrets.erasePayload(secret.id, 4, 1);
    assert.equal(await storage().kms.countSecretsUsingKey(key.id), 1);
    assert.deepEqual(await storage().kms.countDataKeys(key.id, v2.id), { total: 3, underVersion: 1 });
    assert.deepEqual(await storage().kms.findKeysNeedingRewrap(1000).then((ids) => ids.includes(key.id)), true);
    const batch = await storage().kms.listDataKeysNotUnder(key.id, v2.id, 10);
    assert.deepEqual(batch.map((row) => [row.revision, row.kekId]), [[1, v1.id], [2, v1.id]]);
    const [row] = batch;
    assert.ok(row);
    const moved = { ...row, kekId: v2.id, wrappedDek: randomBytes(61) };
    assert.equal(await storage().kms.rewrapDataKey(moved, v2.id), false);
    assert.equal(await storage().kms.rewrapDataKey(moved, v1.id), true);
    assert.equal(await storage().kms.rewrapDataKey(moved, v1.id), false);
    assert.deepEqual((await storage().secrets.readVersionWithPayload(REGION, secret.id, 1))?.sealed?.wrappedDek, moved.wrappedDek);
    assert.deepEqual(await storage().kms.countDataKeys(key.id, v2.id), { total: 3, underVersion: 2 });
  });

  it('finds keys due for rotation and purge, and purges a key with its secrets\' data in one step', async () => {
    const due = buildKey({ rotationPolicy: { periodSeconds: 86_400, nextRotationAt: 100 } });
    const later = buildKey({ rotationPolicy: { periodSeconds: 86_400, nextRotationAt: 10_000 } });
    const disabled = buildKey({ state: 'disabled', rotationPolicy: { periodSeconds: 86_400, nextRotationAt: 100 } });
    for (const key of [due, later, disabled]) {
      await storage().kms.insertKey(key, buildVersion(key.id, 1));
    }
    const rotating = await storage().kms.findKeysDueForRotation(200, 1000);
    assert.deepEqual([rotating.includes(due.id), rotating.includes(later.id), rotating.includes(disabled.id)], [true, false, false]);

    const doomed = buildKey({ state: 'scheduled_for_deletion', stateBeforeDeletion: 'enabled', deletionRequestedAt: 50 });
    const version = buildVersion(doomed.id, 1);
    await storage().kms.insertKey(doomed, version);
    const secret = buildSecret({ keyId: doomed.id });
    await storage().secrets.insertSecret(secret);
    await storage().secrets.appendVersion(REGION, secret.id, (_current, revision) => plan(secret.id, revision, {}, fakeSealed(version.id)));
    assert.equal((await storage().kms.findKeysDueForPurge(49, 1000)).includes(doomed.id), false);
    assert.equal((await storage().kms.findKeysDueForPurge(50, 1000)).includes(doomed.id), true);
    assert.equal(await storage().kms.purgeKey(due.id, 60), 0, 'a key not scheduled for deletion is left alone');
    assert.equal(await storage().kms.purgeKey(doomed.id, 60), 1);
    assert.equal(await storage().kms.getKey(doomed.id), null);
    assert.equal(await storage().kms.getVersionById(version.id), null);
    const read = await storage().secrets.readVersionWithPayload(REGION, secret.id, 1);
    assert.equal(read?.version.status, 'deleted');
    assert.equal(read.version.deletedAt, 60);
    assert.equal(read.sealed, null);
    assert.equal(await storage().kms.purgeKey(doomed.id, 61), 0);
  });
};
