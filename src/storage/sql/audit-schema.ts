/**
 * The audit trail's tables, the same on both engines but for the integer type. On
 * PostgreSQL they live beside the store's tables; SQLite keeps them in their own file,
 * written by a worker thread, so that audit fsyncs never wait on (or stall) store writes.
 */
export const auditSchemaSql = (integer: 'INTEGER' | 'BIGINT', bytes: 'BLOB' | 'BYTEA'): string => `
  CREATE TABLE audit_signing_keys (key_id TEXT PRIMARY KEY, public_key TEXT NOT NULL, sealed_private_key ${bytes} NOT NULL,
    created_at ${integer} NOT NULL);
  CREATE TABLE audit_chains (chain_id TEXT PRIMARY KEY, started_at ${integer} NOT NULL, anchor_seq ${integer} NOT NULL,
    anchor_hash TEXT NOT NULL, head_seq ${integer} NOT NULL, head_hash TEXT NOT NULL);
  CREATE TABLE audit_events (chain_id TEXT NOT NULL, seq ${integer} NOT NULL, recorded_at ${integer} NOT NULL,
    request_id TEXT NOT NULL, api TEXT NOT NULL, operation TEXT NOT NULL, action TEXT, actor_access_key TEXT,
    actor_role TEXT, actor_application_id TEXT, actor_user_id TEXT, actor_token_hmac TEXT, source_ip TEXT,
    user_agent TEXT, organization_id TEXT, project_id TEXT, region TEXT, secret_id TEXT, revision TEXT, path TEXT,
    outcome TEXT NOT NULL, status ${integer} NOT NULL, error_type TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
    PRIMARY KEY (chain_id, seq));
  CREATE INDEX audit_events_time ON audit_events (recorded_at, chain_id, seq);
  CREATE INDEX audit_events_secret ON audit_events (secret_id, recorded_at);
  CREATE TABLE audit_checkpoints (chain_id TEXT NOT NULL, seq ${integer} NOT NULL, hash TEXT NOT NULL,
    signed_at ${integer} NOT NULL, kind TEXT NOT NULL, key_id TEXT NOT NULL, signature TEXT NOT NULL,
    PRIMARY KEY (chain_id, seq, kind));
  CREATE TABLE secret_usage (secret_id TEXT NOT NULL, revision TEXT NOT NULL, reader TEXT NOT NULL,
    access_count ${integer} NOT NULL, last_accessed_at ${integer} NOT NULL, PRIMARY KEY (secret_id, revision, reader))
`;
