import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { it } from 'node:test';
import type { KeyEncryptionKeyRecord } from '../../core/keys/index.js';
import { append, buildSecret, fakeSealed, plan, REGION, withCode, type StorageRef } from './fixtures.js';

const buildKek = (overrides: Partial<KeyEncryptionKeyRecord> = {}): KeyEncryptionKeyRecord => ({
  id: randomUUID(),
  projectId: randomUUID(),
  region: REGION,
  generation: 1,
  wrappedKey: randomBytes(61),
  createdAt: 1,
  ...overrides,
});

export const keyCases = (storage: StorageRef): void => {
  it('keeps (project, region, generation) unique and serves the highest generation as active', async () => {
    const first = buildKek();
    const scope = { projectId: first.projectId, region: first.region };
    assert.equal(await storage().keys.getActiveKek(scope.projectId, scope.region), null);
    await storage().keys.insertKek(first);
    await assert.rejects(storage().keys.insertKek(buildKek({ ...scope, generation: 1 })), withCode('already_exists'));
    const third = buildKek({ ...scope, generation: 3, createdAt: 3 });
    await storage().keys.insertKek(third);
    await storage().keys.insertKek(buildKek({ ...scope, generation: 2 }));
    await storage().keys.insertKek(buildKek({ ...scope, region: 'nl-ams', generation: 9 }));
    assert.deepEqual(await storage().keys.getActiveKek(scope.projectId, scope.region), third);
    assert.deepEqual(await storage().keys.getKek(first.id), first);
    assert.equal(await storage().keys.getKek(randomUUID()), null);
    const scopes = (await storage().keys.listKeyScopes()).filter((listed) => listed.projectId === scope.projectId);
    assert.deepEqual(scopes, [{ projectId: scope.projectId, region: 'fr-par' }, { projectId: scope.projectId, region: 'nl-ams' }]);
  });

  it('lists data keys outside a KEK, scoped and batched, and re-wraps them with compare-and-set', async () => {
    const projectId = randomUUID();
    const scope = { projectId, region: REGION };
    const secret = buildSecret({ projectId });
    await storage().secrets.insertSecret(secret);
    for (const kekId of ['old', 'old', 'new', 'old']) {
      await storage().secrets.appendVersion(REGION, secret.id, (_current, revision) => plan(secret.id, revision, {}, fakeSealed(kekId)));
    }
    await storage().secrets.erasePayload(secret.id, 4, 1);
    // Same project in another region, and another project: both out of scope.
    const abroad = buildSecret({ projectId, region: 'nl-ams' });
    await storage().secrets.insertSecret(abroad);
    await append(storage(), abroad);
    assert.equal(await storage().keys.countDataKeysNotUnder(scope, 'new'), 2);
    const batch = await storage().keys.listDataKeysNotUnder(scope, 'new', 1);
    assert.equal(batch.length, 1);
    const all = await storage().keys.listDataKeysNotUnder(scope, 'new', 10);
    assert.deepEqual(all.map((record) => [record.revision, record.kekId]), [[1, 'old'], [2, 'old']]);
    const [record] = all;
    assert.ok(record);
    const stored = await storage().secrets.readVersionWithPayload(REGION, secret.id, 1);
    assert.deepEqual(record.wrappedDek, stored?.sealed?.wrappedDek);
    assert.equal(record.dekId, stored?.sealed?.dekId);
    const rewrapped = { ...record, kekId: 'new', wrappedDek: randomBytes(61) };
    assert.equal(await storage().keys.rewrapDataKey(rewrapped, 'someone-else'), false);
    assert.equal(await storage().keys.rewrapDataKey(rewrapped, 'old'), true);
    assert.equal(await storage().keys.rewrapDataKey({ ...rewrapped, kekId: 'newer' }, 'old'), false);
    const after = await storage().secrets.readVersionWithPayload(REGION, secret.id, 1);
    assert.equal(after?.sealed?.kekId, 'new');
    assert.deepEqual(after.sealed.wrappedDek, rewrapped.wrappedDek);
    assert.deepEqual(after.sealed.ciphertext, stored?.sealed?.ciphertext);
    assert.equal(await storage().keys.countDataKeysNotUnder(scope, 'new'), 1);
    // An erased payload has no data key left to re-wrap.
    assert.equal(await storage().keys.rewrapDataKey({ ...rewrapped, revision: 4 }, 'old'), false);
  });

  it('keeps the first root-key check value written', async () => {
    const first = await storage().keys.getRootKeyCheck();
    const value = randomBytes(40);
    await storage().keys.putRootKeyCheckIfAbsent(value);
    const kept = first ?? value;
    assert.deepEqual(Buffer.from((await storage().keys.getRootKeyCheck()) ?? []), Buffer.from(kept));
    await storage().keys.putRootKeyCheckIfAbsent(randomBytes(40));
    assert.deepEqual(Buffer.from((await storage().keys.getRootKeyCheck()) ?? []), Buffer.from(kept));
  });
};

