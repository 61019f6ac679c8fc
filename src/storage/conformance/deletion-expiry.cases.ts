import assert from 'node:assert/strict';
import { it } from 'node:test';
import { append, buildSecret, plan, REGION, type StorageRef } from './fixtures.js';

/** Migration 9: per-secret deletion windows, versions that follow their secret, expiry notices. */
export const deletionExpiryCases = (storage: StorageRef): void => {
  it('keeps purge_at through updates and clears it on restore', async () => {
    const secret = buildSecret();
    await storage().secrets.insertSecret(secret);
    await storage().secrets.updateSecret(REGION, secret.id, (current) => ({ secret: { ...current, deletionRequestedAt: 5, purgeAt: 77 } }));
    assert.equal((await storage().secrets.getSecret(REGION, secret.id))?.purgeAt, 77);
    await storage().secrets.updateSecret(REGION, secret.id, (current) => ({ secret: { ...current, deletionRequestedAt: null, purgeAt: null } }));
    assert.equal((await storage().secrets.getSecret(REGION, secret.id))?.purgeAt, null);
  });

  it('leaves versions that follow their secret into its deletion to the secret\'s purge', async () => {
    const secret = buildSecret({ deletionRequestedAt: -700, purgeAt: 1e15 });
    await storage().secrets.insertSecret(secret);
    // Deleted on its own before the secret was: its own retention applies.
    await append(storage(), secret, { status: 'scheduled_for_deletion', deletionRequestedAt: -900, statusBeforeDeletion: 'enabled' });
    // Scheduled with the secret: waits for the secret's window.
    await append(storage(), secret, { status: 'scheduled_for_deletion', deletionRequestedAt: -700, statusBeforeDeletion: 'enabled' });
    const mine = (await storage().secrets.findVersionsDueForPurge(0, 1000)).filter((due) => due.secretId === secret.id);
    assert.deepEqual(mine, [{ secretId: secret.id, revision: 1 }]);
  });

  it('sets the secret\'s expiration in the version append\'s transaction when asked', async () => {
    const secret = buildSecret({ expiresAt: 10 });
    await storage().secrets.insertSecret(secret);
    await append(storage(), secret);
    assert.equal((await storage().secrets.getSecret(REGION, secret.id))?.expiresAt, 10);
    const appended = await storage().secrets.appendVersion(REGION, secret.id, (current, revision) => ({
      ...plan(secret.id, revision),
      expiresAt: (current.expiresAt ?? 0) + 5_000,
    }));
    assert.equal(appended.secret.expiresAt, 5_010);
    assert.equal((await storage().secrets.getSecret(REGION, secret.id))?.expiresAt, 5_010);
  });

  it('finds secrets due for an expiry notice until it is recorded, once per expiration and notice', async () => {
    // Times far below every other case's, so the scans only see these.
    const soon = buildSecret({ expiresAt: -8_000_000 });
    const later = buildSecret({ expiresAt: -7_000_000 });
    const deleted = buildSecret({ expiresAt: -8_500_000, deletionRequestedAt: 1, purgeAt: 2 });
    for (const secret of [soon, later, deleted]) {
      await storage().secrets.insertSecret(secret);
    }
    const due = async (until: number, secondsBefore: number, after = -10_000_000) =>
      (await storage().secrets.findSecretsDueForExpiryNotice({ after, until }, secondsBefore, 1000)).filter((secret) => [soon.id, later.id, deleted.id].includes(secret.id)).map((secret) => secret.id);
    assert.deepEqual(await due(-7_500_000, 0), [soon.id]);
    assert.deepEqual(await due(-6_000_000, 0), [soon.id, later.id]);
    // Expirations at or before `after` are out of the scan.
    assert.deepEqual(await due(-6_000_000, 0, -8_000_000), [later.id]);
    assert.equal(await storage().secrets.recordExpiryNotice({ secretId: soon.id, expiresAt: -8_000_000, secondsBefore: 0, sentAt: 3 }), true);
    assert.equal(await storage().secrets.recordExpiryNotice({ secretId: soon.id, expiresAt: -8_000_000, secondsBefore: 0, sentAt: 4 }), false);
    assert.deepEqual(await due(-6_000_000, 0), [later.id]);
    // Another notice point of the same expiration is still due.
    assert.deepEqual(await due(-6_000_000, 86_400), [soon.id, later.id]);
    // A new expiration gets its notices again.
    await storage().secrets.updateSecret(REGION, soon.id, (current) => ({ secret: { ...current, expiresAt: -7_900_000 } }));
    assert.deepEqual(await due(-6_000_000, 0), [soon.id, later.id]);
  });

  it('purges a secret with its versions, wrapped data keys and notices', async () => {
    const secret = buildSecret({ expiresAt: -9_000_000 });
    await storage().secrets.insertSecret(secret);
    await append(storage(), secret);
    await storage().secrets.recordExpiryNotice({ secretId: secret.id, expiresAt: -9_000_000, secondsBefore: 0, sentAt: 1 });
    await storage().secrets.purgeSecret(secret.id);
    assert.equal(await storage().secrets.getSecret(REGION, secret.id), null);
    assert.equal(await storage().secrets.readVersionWithPayload(REGION, secret.id, 1), null);
    // Recreated with the same id (as a restore from backup might), it is due for notices again.
    await storage().secrets.insertSecret(secret);
    assert.equal(await storage().secrets.recordExpiryNotice({ secretId: secret.id, expiresAt: -9_000_000, secondsBefore: 0, sentAt: 2 }), true);
  });
};
