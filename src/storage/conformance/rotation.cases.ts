import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { it } from 'node:test';
import type { RotationRecord, RotationState } from '../../core/rotation/index.js';
import { buildSecret, type StorageRef } from './fixtures.js';

const idle = (nextRotationAt: number): RotationState => ({
  nextRotationAt,
  rotationId: null,
  attempts: 0,
  leaseUntil: null,
  lastAttemptAt: null,
  lastRotatedAt: null,
  lastRevision: null,
  lastFailure: null,
  updatedAt: 1_000,
});

const comparable = (record: RotationRecord | null) =>
  record && { ...record, sealedSigningSecret: record.sealedSigningSecret && Buffer.from(record.sealedSigningSecret).toString('hex') };

export const rotationCases = (storage: StorageRef): void => {
  /** A secret row to hang the policy on (the policy goes when the secret does). */
  const secretWithPolicy = async (nextRotationAt: number, overrides: Partial<RotationRecord> = {}): Promise<RotationRecord> => {
    const secret = buildSecret();
    await storage().secrets.insertSecret(secret);
    const record: RotationRecord = {
      secretId: secret.id,
      region: secret.region,
      intervalSeconds: 86_400,
      method: { type: 'generator', generator: { kind: 'password', length: 24, classes: ['lower', 'digits'], key: null } },
      disablePrevious: false,
      signingKeyId: null,
      sealedSigningSecret: null,
      createdAt: 500,
      state: idle(nextRotationAt),
      ...overrides,
    };
    await storage().rotation.putPolicy(record);
    return record;
  };

  it('keeps a rotation policy and its state, every field as written, and replaces it whole', async () => {
    const webhook = await secretWithPolicy(9_000_000_000_000_000, {
      method: { type: 'webhook', webhook: { url: 'https://hooks.example.com/rotate?x=1', maxAttempts: 4, timeoutSeconds: 15 } },
      disablePrevious: true,
      signingKeyId: randomUUID(),
      sealedSigningSecret: randomBytes(77),
      state: {
        nextRotationAt: 9_000_000_000_000_000,
        rotationId: randomUUID(),
        attempts: 2,
        leaseUntil: 8_000_000_000_000_000,
        lastAttemptAt: 7_000,
        lastRotatedAt: 6_000,
        lastRevision: 12,
        lastFailure: { at: 7_500, reason: 'webhook_status', message: 'the webhook answered HTTP 503', attempts: 2 },
        updatedAt: 7_600,
      },
    });
    assert.deepEqual(comparable(await storage().rotation.getPolicy(webhook.secretId)), comparable(webhook));
    const replaced: RotationRecord = { ...webhook, intervalSeconds: 3_600, method: { type: 'generator', generator: { kind: 'api_key', prefix: 'ck_', length: 40, key: null } }, signingKeyId: null, sealedSigningSecret: null, state: idle(5) };
    await storage().rotation.putPolicy(replaced);
    assert.deepEqual(comparable(await storage().rotation.getPolicy(webhook.secretId)), comparable(replaced));
    assert.equal(await storage().rotation.getPolicy(randomUUID()), null);
  });

  it('keeps the last of several concurrent writes of one policy, without a conflict', async () => {
    const record = await secretWithPolicy(1);
    await Promise.all(Array.from({ length: 6 }, (_, index) => storage().rotation.putPolicy({ ...record, intervalSeconds: 3_600 * (index + 1) })));
    const kept = await storage().rotation.getPolicy(record.secretId);
    assert.ok(kept && kept.intervalSeconds % 3_600 === 0 && kept.intervalSeconds <= 6 * 3_600);
  });

  it('finds due policies, the most overdue first, up to the limit', async () => {
    const base = 4_000_000_000_000_000 + Math.floor(Math.random() * 1_000_000_000);
    const later = await secretWithPolicy(base + 30);
    const first = await secretWithPolicy(base + 10);
    await secretWithPolicy(base + 1_000);
    const due = (await storage().rotation.findDue(base + 100, 1000)).filter((item) => item.nextRotationAt > base);
    assert.deepEqual(due, [
      { secretId: first.secretId, nextRotationAt: base + 10 },
      { secretId: later.secretId, nextRotationAt: base + 30 },
    ]);
    assert.equal((await storage().rotation.findDue(base + 100, 1)).length, 1);
  });

  it('lets exactly one of several concurrent claims with the same expected time win', async () => {
    const record = await secretWithPolicy(2_000);
    const claims = await Promise.all(
      Array.from({ length: 6 }, (_, index) => storage().rotation.compareAndSetState(record.secretId, 2_000, { ...idle(10_000 + index), rotationId: randomUUID(), attempts: 1 })),
    );
    assert.equal(claims.filter(Boolean).length, 1);
    const won = claims.indexOf(true);
    assert.equal((await storage().rotation.getPolicy(record.secretId))?.state.nextRotationAt, 10_000 + won);
    assert.equal(await storage().rotation.compareAndSetState(record.secretId, 2_000, idle(1)), false, 'a stale expectation loses');
  });

  it('removes a policy when asked, and with its secret', async () => {
    const cleared = await secretWithPolicy(1);
    assert.equal(await storage().rotation.deletePolicy(cleared.secretId), true);
    assert.equal(await storage().rotation.deletePolicy(cleared.secretId), false);
    const purged = await secretWithPolicy(1);
    await storage().secrets.purgeSecret(purged.secretId);
    assert.equal(await storage().rotation.getPolicy(purged.secretId), null);
  });
};
