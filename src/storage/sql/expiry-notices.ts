import type { Secret } from '../../core/secrets/index.js';
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

/** True when this call recorded the notice; false when it was there already. */
export const recordExpiryNotice = async (
  db: SqlDriver,
  notice: { secretId: string; expiresAt: number; secondsBefore: number; sentAt: number },
): Promise<boolean> => {
  const { changes } = await db.run(
    `INSERT INTO secret_expiry_notices (secret_id, expires_at, seconds_before, sent_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (secret_id, expires_at, seconds_before) DO NOTHING`,
    [notice.secretId, notice.expiresAt, notice.secondsBefore, notice.sentAt],
  );
  return changes === 1;
};
