/** Migration 11 on both engines: one rotation policy per secret, with where its rotations stand. */
export const rotationSchemaSql = (integer: 'INTEGER' | 'BIGINT', blob: 'BLOB' | 'BYTEA'): string => `
  CREATE TABLE secret_rotations (secret_id TEXT PRIMARY KEY REFERENCES secrets(id) ON DELETE CASCADE,
    region TEXT NOT NULL, interval_seconds ${integer} NOT NULL, method TEXT NOT NULL, disable_previous INTEGER NOT NULL,
    signing_key_id TEXT, sealed_signing_secret ${blob}, created_at ${integer} NOT NULL,
    next_rotation_at ${integer} NOT NULL, rotation_id TEXT, attempts INTEGER NOT NULL, lease_until ${integer},
    last_attempt_at ${integer}, last_rotated_at ${integer}, last_revision INTEGER, last_failure_at ${integer},
    last_failure_reason TEXT, last_failure_message TEXT, last_failure_attempts INTEGER, updated_at ${integer} NOT NULL);
  CREATE INDEX secret_rotations_due ON secret_rotations (next_rotation_at)
`;
