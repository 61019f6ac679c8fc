import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { it } from 'node:test';
import type { SessionRecord } from '../../core/sessions/index.js';
import type { StorageRef } from './fixtures.js';

const session = (overrides: Partial<SessionRecord> = {}): SessionRecord => ({
  tokenHash: randomBytes(32),
  organizationId: randomUUID(),
  userId: randomUUID(),
  accessKey: `SCW${randomBytes(8).toString('hex').toUpperCase()}`,
  label: 'someone@example.com',
  mintedKey: true,
  sealedSecret: randomBytes(61),
  createdAt: 1_000,
  lastSeenAt: 2_000,
  expiresAt: 9_000_000_000_000_000,
  ...overrides,
});

const comparable = (record: SessionRecord | null) =>
  record && { ...record, tokenHash: Buffer.from(record.tokenHash).toString('hex'), sealedSecret: Buffer.from(record.sealedSecret).toString('hex') };

export const sessionCases = (storage: StorageRef): void => {
  it('keeps a session by its token hash, every field as written', async () => {
    const written = session({ userId: null, mintedKey: false });
    await storage().sessions.insertSession(written);
    assert.deepEqual(comparable(await storage().sessions.findSession(written.tokenHash)), comparable(written));
    assert.equal(await storage().sessions.findSession(randomBytes(32)), null);
  });

  it('moves last_seen_at forward only', async () => {
    const written = session();
    await storage().sessions.insertSession(written);
    await storage().sessions.touchSession(written.tokenHash, 5_000);
    await storage().sessions.touchSession(written.tokenHash, 3_000);
    assert.equal((await storage().sessions.findSession(written.tokenHash))?.lastSeenAt, 5_000);
  });

  it('deletes a session once, reporting it to the caller that deleted it', async () => {
    const written = session();
    await storage().sessions.insertSession(written);
    const results = await Promise.all([storage().sessions.deleteSession(written.tokenHash), storage().sessions.deleteSession(written.tokenHash)]);
    assert.equal(results.filter((result) => result !== null).length, 1);
    assert.equal(await storage().sessions.findSession(written.tokenHash), null);
  });

  it('removes idle and expired sessions and returns them, keeping live ones', async () => {
    const idle = session({ lastSeenAt: 10 });
    const expired = session({ lastSeenAt: 8_000_000, expiresAt: 20 });
    const live = session({ lastSeenAt: 8_000_000 });
    for (const record of [idle, expired, live]) {
      await storage().sessions.insertSession(record);
    }
    const ended = await storage().sessions.deleteExpiredSessions(100, 1_000);
    const endedKeys = new Set(ended.map((record) => record.accessKey));
    assert.ok(endedKeys.has(idle.accessKey));
    assert.ok(endedKeys.has(expired.accessKey));
    assert.equal(endedKeys.has(live.accessKey), false);
    assert.notEqual(await storage().sessions.findSession(live.tokenHash), null);
  });
};
