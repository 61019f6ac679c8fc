/**
 * Migration 9 on both engines. `purge_at` ends a scheduled deletion's window (chosen per
 * request, 7 to 30 days); secrets scheduled before it get Coffer's former fixed window of
 * 7 days. `secret_expiry_notices` remembers which expiry events went out for which
 * expiration, so each is published once even across restarts and leader changes.
 */
export const deletionExpirySchemaSql = (integer: 'INTEGER' | 'BIGINT'): string => `
  ALTER TABLE secrets ADD COLUMN purge_at ${integer};
  UPDATE secrets SET purge_at = deletion_requested_at + 604800000000 WHERE deletion_requested_at IS NOT NULL;
  CREATE INDEX secrets_purge ON secrets (purge_at);
  CREATE TABLE secret_expiry_notices (secret_id TEXT NOT NULL, expires_at ${integer} NOT NULL,
    seconds_before ${integer} NOT NULL, sent_at ${integer} NOT NULL, PRIMARY KEY (secret_id, expires_at, seconds_before))
`;

export const DELETION_EXPIRY_MIGRATION_NAME = 'secret lifecycle: per-request deletion windows (purge_at) and the expiry notices already published';
