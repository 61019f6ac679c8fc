import assert from 'node:assert/strict';
import { it } from 'node:test';
import { append, buildSecret, REGION, type StorageRef } from './fixtures.js';

// The scans see the whole store, which other cases share: each case looks only at its own
// rows, using times far below everyone else's so that limits are meaningful.
export const maintenanceCases = (storage: StorageRef): void => {
  it('finds secrets whose deletion window ended at or before now, soonest first', async () => {
    const due = [
      buildSecret({ deletionRequestedAt: -90, purgeAt: -30 }),
      buildSecret({ deletionRequestedAt: -95, purgeAt: -20 }),
      buildSecret({ deletionRequestedAt: -99, purgeAt: -10 }),
    ];
    for (const secret of due) {
      await storage().secrets.insertSecret(secret);
    }
    assert.deepEqual(await storage().secrets.findSecretsDueForPurge(-20, 100), [due[0]?.id, due[1]?.id]);
    assert.deepEqual(await storage().secrets.findSecretsDueForPurge(-10, 1), [due[0]?.id]);
    assert.deepEqual(await storage().secrets.findSecretsDueForPurge(-31, 100), []);
  });

  it('finds versions due for purge while they still hold a payload, then erases it', async () => {
    const secret = buildSecret();
    await storage().secrets.insertSecret(secret);
    await append(storage(), secret, { status: 'scheduled_for_deletion', deletionRequestedAt: -200, statusBeforeDeletion: 'enabled' });
    await append(storage(), secret, { status: 'scheduled_for_deletion', deletionRequestedAt: -100, statusBeforeDeletion: 'disabled' });
    await append(storage(), secret, { status: 'enabled' });
    const mine = async (cutoff: number) =>
      (await storage().secrets.findVersionsDueForPurge(cutoff, 1000)).filter((due) => due.secretId === secret.id);
    assert.deepEqual(await mine(-200), [{ secretId: secret.id, revision: 1 }]);
    assert.deepEqual(await mine(-100), [
      { secretId: secret.id, revision: 1 },
      { secretId: secret.id, revision: 2 },
    ]);
    await storage().secrets.erasePayload(secret.id, 1, 40);
    assert.deepEqual(await mine(-100), [{ secretId: secret.id, revision: 2 }]);
    const erased = await storage().secrets.readVersionWithPayload(REGION, secret.id, 1);
    assert.ok(erased);
    assert.equal(erased.sealed, null);
    assert.equal(erased.version.status, 'deleted');
    assert.equal(erased.version.deletedAt, 40);
    // Erasing again keeps the first deletion time.
    await storage().secrets.erasePayload(secret.id, 1, 50);
    assert.equal((await storage().secrets.getVersion(secret.id, 1))?.deletedAt, 40);
  });

  it('erases an enabled version too, keeping the rest of the row', async () => {
    const secret = buildSecret();
    await storage().secrets.insertSecret(secret);
    const { version } = await append(storage(), secret, { description: 'kept' });
    await storage().secrets.erasePayload(secret.id, 1, 60);
    const erased = await storage().secrets.readVersionWithPayload(REGION, secret.id, 'latest');
    assert.ok(erased);
    assert.deepEqual(erased.version, { ...version, status: 'deleted', deletedAt: 60 });
    assert.equal(erased.sealed, null);
  });

  it('finds enabled versions whose ephemeral expiry has passed, with their region', async () => {
    const secret = buildSecret({ region: 'pl-waw' });
    await storage().secrets.insertSecret(secret);
    const expiring = (expiresAt: number | null) => ({ expiresAt, expiresOnceAccessed: false, action: 'disable' as const });
    await append(storage(), secret, { ephemeral: expiring(-500) });
    await append(storage(), secret, { ephemeral: expiring(-400), status: 'disabled' });
    await append(storage(), secret, { ephemeral: expiring(-300) });
    await append(storage(), secret, { ephemeral: expiring(null) });
    await append(storage(), secret);
    const mine = async (now: number) => (await storage().secrets.findExpiredVersions(now, 1000)).filter((due) => due.secretId === secret.id);
    assert.deepEqual(await mine(-500), [{ secretId: secret.id, region: 'pl-waw', revision: 1 }]);
    assert.deepEqual(await mine(-300), [
      { secretId: secret.id, region: 'pl-waw', revision: 1 },
      { secretId: secret.id, region: 'pl-waw', revision: 3 },
    ]);
    assert.deepEqual(await mine(-501), []);
  });
};
