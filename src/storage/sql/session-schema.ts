/**
 * Migration 7, written once for both engines: console sessions. Only the token's
 * SHA-256 is kept; the API secret a session acts with is sealed under a key derived
 * from the token, so neither opens a session from a copy of the database.
 */
export const sessionSchemaSql = (bigint: 'INTEGER' | 'BIGINT', bytes: 'BLOB' | 'BYTEA'): string => `
  CREATE TABLE console_sessions (token_hash ${bytes} PRIMARY KEY, organization_id TEXT NOT NULL, user_id TEXT,
    access_key TEXT NOT NULL, label TEXT NOT NULL, minted_key INTEGER NOT NULL, sealed_secret ${bytes} NOT NULL,
    created_at ${bigint} NOT NULL, last_seen_at ${bigint} NOT NULL, expires_at ${bigint} NOT NULL);
  CREATE INDEX console_sessions_idle ON console_sessions (last_seen_at);
  CREATE INDEX console_sessions_expiry ON console_sessions (expires_at)
`;
