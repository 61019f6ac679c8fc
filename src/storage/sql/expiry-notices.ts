import type { Secret } from '../../core/secrets/index.js';
import type { SecretChangeHook } from './event-append.js';
import { secretColumns, secretFromRow, type SecretRow } from './secret-rows.js';
import type { SqlDriver } from './sql-driver.js';

export const findSecretsDueForExpiryNotice = async (
  db: SqlDriver,
  window: { after: number; until: number },
  secondsBefore: number,
  limit: number,
): Promise<Secret[]> => {
  const rows = await db.all<SecretRow>(
    `SELECT ${secretColumns('s')} FROM secrets s
     WHERE s.expires_at > ? AND s.expires_at <= ? AND s.deletion_requested_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM secret_expiry_notices n
                       WHERE n.secret_id = s.id AND n.expires_at = s.expires_at AND n.seconds_before = ?)
     ORDER BY s.expires_at, s.id LIMIT ?`,
    [window.after, window.until, secondsBefore, limit],
  );
  return rows.map(secretFromRow);
};

const RECORD_NOTICE = `INSERT INTO secret_expiry_notices (secret_id, expires_at, seconds_before, sent_at) VALUES (?, ?, ?, ?)
  ON CONFLICT (secret_id, expires_at, seconds_before) DO NOTHING`;

/**
 * True when this call recorded the notice; false when it was there already. An announced
 * notice's event is written in the same transaction, and only when the row is new: a
 * second process recording the same notice announces nothing.
 */
export const recordExpiryNotice = async (
  db: SqlDriver,
  notice: { secretId: string; expiresAt: number; secondsBefore: number; sentAt: number },
  announce: { secret: Secret; onChange: SecretChangeHook } | null,
): Promise<boolean> => {
  const values = [notice.secretId, notice.expiresAt, notice.secondsBefore, notice.sentAt];
  if (announce === null) {
    return (await db.run(RECORD_NOTICE, values)).changes === 1;
  }
  return db.transaction(async (tx) => {
    const { changes } = await tx.run(RECORD_NOTICE, values);
    if (changes === 1) {
      await announce.onChange(tx, { kind: 'expiry_notice_recorded', secret: announce.secret, expiresAt: notice.expiresAt, secondsBefore: notice.secondsBefore });
    }
    return changes === 1;
  });
};
