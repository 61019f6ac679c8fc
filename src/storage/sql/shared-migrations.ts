/** Migrations written once for both engines; only the integer type differs. Migration 4: users, groups and their policies and keys. */
export const iamUsersSchemaSql = (integer: 'INTEGER' | 'BIGINT'): string => `
  ALTER TABLE api_keys ADD COLUMN user_id TEXT;
  CREATE INDEX api_keys_user ON api_keys (user_id);
  ALTER TABLE policies ADD COLUMN user_id TEXT;
  ALTER TABLE policies ADD COLUMN group_id TEXT;
  CREATE INDEX policies_user ON policies (user_id);
  CREATE INDEX policies_group ON policies (group_id);
  CREATE TABLE users (id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, email TEXT NOT NULL UNIQUE,
    username TEXT NOT NULL, first_name TEXT NOT NULL, last_name TEXT NOT NULL, password_hash TEXT,
    type TEXT NOT NULL, tags TEXT NOT NULL, created_at ${integer} NOT NULL, updated_at ${integer} NOT NULL, last_login_at ${integer});
  CREATE INDEX users_organization ON users (organization_id);
  CREATE TABLE iam_groups (id TEXT PRIMARY KEY, organization_id TEXT NOT NULL, name TEXT NOT NULL,
    description TEXT NOT NULL, tags TEXT NOT NULL, created_at ${integer} NOT NULL, updated_at ${integer} NOT NULL);
  CREATE INDEX iam_groups_organization ON iam_groups (organization_id);
  CREATE TABLE group_members (group_id TEXT NOT NULL REFERENCES iam_groups(id) ON DELETE CASCADE,
    member_kind TEXT NOT NULL, member_id TEXT NOT NULL, position ${integer} NOT NULL, PRIMARY KEY (group_id, member_id));
  CREATE INDEX group_members_member ON group_members (member_id)
`;

/** Migration 8 on both engines: deactivation and expiration of whole secrets. */
export const secretLifecycleSchemaSql = (integer: 'INTEGER' | 'BIGINT'): string => `
  ALTER TABLE secrets ADD COLUMN disabled_at ${integer};
  ALTER TABLE secrets ADD COLUMN expires_at ${integer};
  CREATE INDEX secrets_expiry ON secrets (expires_at)
`;
