import { auditSchemaSql } from '../sql/audit-schema.js';
import { eventSchemaSql } from '../sql/event-schema.js';
import { iamUsersSchemaSql, secretLifecycleSchemaSql } from '../sql/shared-migrations.js';
import { rotationSchemaSql } from '../sql/rotation-schema.js';
import { DELETION_EXPIRY_MIGRATION_NAME, deletionExpirySchemaSql } from '../sql/deletion-expiry-schema.js';
import { sessionSchemaSql } from '../sql/session-schema.js';
import { PATH_LISTING_MIGRATION_NAME, pathListingIndexSql } from '../sql/path-listing-index.js';
import type { Migration } from '../sql/sql-driver.js';

/**
 * SQLite's schema history; keep the same tables and columns as PostgreSQL's. Times are
 * epoch microseconds, booleans 0/1, tags, owners and policies JSON text.
 */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE coffer_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE organizations (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL);
      CREATE TABLE projects (id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id),
        name TEXT NOT NULL, description TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
      CREATE TABLE api_keys (access_key TEXT PRIMARY KEY, secret_key_hash BLOB NOT NULL UNIQUE,
        organization_id TEXT NOT NULL REFERENCES organizations(id), default_project_id TEXT NOT NULL,
        description TEXT NOT NULL, role TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER);
      CREATE TABLE secrets (id TEXT PRIMARY KEY, region TEXT NOT NULL, organization_id TEXT NOT NULL,
        project_id TEXT NOT NULL, name TEXT NOT NULL, path TEXT NOT NULL, type TEXT NOT NULL,
        description TEXT NOT NULL, tags TEXT NOT NULL, protected INTEGER NOT NULL, ephemeral_policy TEXT,
        used_by TEXT NOT NULL, key_id TEXT, version_count INTEGER NOT NULL, created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL, deletion_requested_at INTEGER);
      CREATE UNIQUE INDEX secrets_active_name ON secrets (region, project_id, path, name)
        WHERE deletion_requested_at IS NULL;
      CREATE INDEX secrets_listing ON secrets (region, organization_id, project_id, name);
      CREATE INDEX secrets_deletion ON secrets (deletion_requested_at);
      CREATE TABLE secret_tags (secret_id TEXT NOT NULL REFERENCES secrets(id) ON DELETE CASCADE,
        tag TEXT NOT NULL, PRIMARY KEY (secret_id, tag));
      CREATE INDEX secret_tags_tag ON secret_tags (tag);
      CREATE TABLE secret_versions (secret_id TEXT NOT NULL REFERENCES secrets(id) ON DELETE CASCADE,
        revision INTEGER NOT NULL, status TEXT NOT NULL, description TEXT NOT NULL,
        created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, deleted_at INTEGER,
        deletion_requested_at INTEGER, status_before_deletion TEXT, eph_expires_at INTEGER,
        eph_expires_once_accessed INTEGER, eph_action TEXT, checksum_algorithm TEXT,
        dek_id TEXT NOT NULL, kek_id TEXT NOT NULL, wrapped_dek BLOB, ciphertext BLOB,
        PRIMARY KEY (secret_id, revision));
      CREATE INDEX secret_versions_deletion ON secret_versions (status, deletion_requested_at);
      CREATE INDEX secret_versions_expiry ON secret_versions (status, eph_expires_at);
      CREATE INDEX secret_versions_kek ON secret_versions (kek_id);
      CREATE TABLE key_encryption_keys (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, region TEXT NOT NULL,
        generation INTEGER NOT NULL, wrapped_key BLOB NOT NULL, created_at INTEGER NOT NULL,
        UNIQUE (project_id, region, generation))
    `,
  },
  {
    version: 2,
    name: 'key/value view: per-secret KV metadata, version disable time, KV domains',
    sql: `
      ALTER TABLE secrets ADD COLUMN kv_metadata TEXT;
      ALTER TABLE secret_versions ADD COLUMN disabled_at INTEGER;
      CREATE TABLE kv_domains (id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, project_id TEXT NOT NULL,
        region TEXT NOT NULL, created_at INTEGER NOT NULL, max_versions INTEGER NOT NULL,
        cas_required INTEGER NOT NULL, delete_version_after INTEGER NOT NULL, UNIQUE (project_id, region))
    `,
  },
  {
    version: 3,
    name: 'IAM: applications, policies with rules, API keys owned by applications',
    sql: `
      ALTER TABLE api_keys ADD COLUMN application_id TEXT;
      CREATE INDEX api_keys_application ON api_keys (application_id);
      CREATE TABLE applications (id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, name TEXT NOT NULL,
        description TEXT NOT NULL, tags TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
      CREATE TABLE policies (id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, name TEXT NOT NULL,
        description TEXT NOT NULL, tags TEXT NOT NULL, application_id TEXT, rules TEXT NOT NULL,
        created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
      CREATE INDEX policies_application ON policies (application_id)
    `,
  },
  {
    version: 4,
    name: 'IAM: users with argon2id passwords, groups (which may hold groups), policies and API keys of users and groups',
    sql: iamUsersSchemaSql('INTEGER'),
  },
  {
    version: 6,
    name: 'key manager: customer-managed keys, their wrapped versions; secrets choose one by key_id (earlier key_id values named no key and are cleared)',
    sql: `
      UPDATE secrets SET key_id = NULL WHERE key_id IS NOT NULL;
      CREATE INDEX secrets_key ON secrets (key_id);
      CREATE TABLE kms_keys (id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, project_id TEXT NOT NULL,
        region TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL, tags TEXT NOT NULL, usage TEXT NOT NULL,
        algorithm TEXT NOT NULL, state TEXT NOT NULL, state_before_deletion TEXT, protected INTEGER NOT NULL,
        origin TEXT NOT NULL, current_version INTEGER NOT NULL, rotation_period_seconds INTEGER, next_rotation_at INTEGER,
        rotated_at INTEGER, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, deletion_requested_at INTEGER);
      CREATE INDEX kms_keys_listing ON kms_keys (region, organization_id, project_id, name);
      CREATE INDEX kms_keys_rotation ON kms_keys (state, next_rotation_at);
      CREATE INDEX kms_keys_deletion ON kms_keys (state, deletion_requested_at);
      CREATE TABLE kms_key_versions (id TEXT PRIMARY KEY, key_id TEXT NOT NULL REFERENCES kms_keys(id) ON DELETE CASCADE,
        version INTEGER NOT NULL, wrapped_material BLOB NOT NULL, created_at INTEGER NOT NULL, UNIQUE (key_id, version))
    `,
  },
  { version: 7, name: 'console sessions: token hash, the API key each acts as (its secret sealed under the token), idle and absolute expiry', sql: sessionSchemaSql('INTEGER', 'BLOB') },
  {
    version: 8,
    name: 'secret lifecycle: deactivation and expiration of whole secrets',
    sql: secretLifecycleSchemaSql('INTEGER'),
  },
  { version: 9, name: DELETION_EXPIRY_MIGRATION_NAME, sql: deletionExpirySchemaSql('INTEGER') },
  { version: 10, name: 'lifecycle events: the ordered event log and webhook subscriptions with their delivery cursors', sql: eventSchemaSql('INTEGER', 'BLOB') },
  { version: 11, name: 'secret rotation: one policy per secret (interval, method, sealed webhook signing secret) and where its rotations stand', sql: rotationSchemaSql('INTEGER', 'BLOB') },
  { version: 12, name: PATH_LISTING_MIGRATION_NAME, sql: pathListingIndexSql('sqlite') },
];

/** The schema history of `audit.db`, SQLite's separate audit file. */
export const SQLITE_AUDIT_MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'audit trail: hash-chained events per process, signed checkpoints, signing key, usage totals', sql: auditSchemaSql('INTEGER', 'BLOB') },
];
