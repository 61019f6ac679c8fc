/**
 * Migration 10, written once for both engines: the lifecycle event log and webhook
 * subscriptions. Events hold identifiers and paths, never a payload; a subscription's
 * signing secret is sealed by the core before it gets here.
 */
export const eventSchemaSql = (integer: 'INTEGER' | 'BIGINT', bytes: 'BLOB' | 'BYTEA'): string => `
  CREATE TABLE secret_events (sequence ${integer} PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL,
    occurred_at ${integer} NOT NULL, organization_id TEXT NOT NULL, project_id TEXT NOT NULL, region TEXT NOT NULL,
    secret_id TEXT NOT NULL, path TEXT NOT NULL, revision ${integer}, details TEXT);
  CREATE INDEX secret_events_organization ON secret_events (organization_id, sequence);
  CREATE TABLE webhooks (id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, url TEXT NOT NULL,
    description TEXT NOT NULL, event_types TEXT NOT NULL, project_id TEXT, path_prefix TEXT,
    enabled INTEGER NOT NULL, sealed_secret ${bytes} NOT NULL, cursor_sequence ${integer} NOT NULL,
    attempts INTEGER NOT NULL, next_attempt_at ${integer} NOT NULL, first_failure_at ${integer},
    last_error TEXT, failing INTEGER NOT NULL, last_delivered_at ${integer},
    created_at ${integer} NOT NULL, updated_at ${integer} NOT NULL);
  CREATE INDEX webhooks_organization ON webhooks (organization_id, created_at);
  CREATE INDEX webhooks_due ON webhooks (enabled, next_attempt_at)
`;
