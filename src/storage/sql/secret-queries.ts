import type { RevisionSelector, SecretFilter, SecretOrder } from '../../core/secrets/index.js';
import type { SqlDialect, SqlValue } from './sql-driver.js';
import {
  secretColumns,
  VERSION_COLUMN_LIST,
  versionFromRow,
  type PayloadRow,
  type SecretRow,
  type VersionRow,
} from './secret-rows.js';

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (char) => `\\${char}`);

/** WHERE clause over `secrets s` and its parameters; shared by a listing and its count. */
export const secretFilterSql = (filter: SecretFilter): { where: string; params: SqlValue[] } => {
  const clauses = ['s.region = ?', 's.organization_id = ?'];
  const params: SqlValue[] = [filter.region, filter.organizationId];
  const add = (clause: string, ...values: SqlValue[]) => {
    clauses.push(clause);
    params.push(...values);
  };
  if (filter.projectId !== null) {
    add('s.project_id = ?', filter.projectId);
  }
  if (filter.projectIds !== null) {
    if (filter.projectIds.length === 0) {
      add('1 = 0');
    } else {
      add(`s.project_id IN (${filter.projectIds.map(() => '?').join(', ')})`, ...filter.projectIds);
    }
  }
  if (filter.pathPrefixes !== null) {
    // The full path, `/a/b/c` for the secret `c` at `/a/b`, as path-limited rights see it.
    const fullPath = "CASE WHEN s.path = '/' THEN '/' || s.name ELSE s.path || '/' || s.name END";
    const alternatives = filter.pathPrefixes.map(() => `${fullPath} LIKE ? ESCAPE '\\'`);
    add(alternatives.length === 0 ? '1 = 0' : `(${alternatives.join(' OR ')})`, ...filter.pathPrefixes.map((prefix) => `${escapeLike(prefix)}%`));
  }
  if (filter.name !== null) {
    add('s.name = ?', filter.name);
  }
  if (filter.path !== null) {
    add('s.path = ?', filter.path);
  }
  if (filter.pathPrefix !== null && filter.pathPrefix !== '/') {
    const prefix = filter.pathPrefix.replace(/\/+$/, '');
    add("(s.path = ? OR s.path LIKE ? ESCAPE '\\')", prefix, `${escapeLike(prefix)}/%`);
  }
  // A secret must carry every tag asked for.
  for (const tag of new Set(filter.tags)) {
    add('EXISTS (SELECT 1 FROM secret_tags t WHERE t.secret_id = s.id AND t.tag = ?)', tag);
  }
  if (filter.type !== null) {
    add('s.type = ?', filter.type);
  }
  if (filter.ephemeral !== null) {
    clauses.push(filter.ephemeral ? 's.ephemeral_policy IS NOT NULL' : 's.ephemeral_policy IS NULL');
  }
  if (filter.scheduledForDeletion !== null) {
    clauses.push(filter.scheduledForDeletion ? 's.deletion_requested_at IS NOT NULL' : 's.deletion_requested_at IS NULL');
  }
  return { where: clauses.join(' AND '), params };
};

/** Text compared by code point on both engines: PostgreSQL would otherwise use the locale. */
export const binaryText = (expression: string, dialect: SqlDialect): string =>
  dialect === 'postgres' ? `${expression} COLLATE "C"` : expression;

/** ORDER BY for a listing, with the id breaking ties so pages never overlap. */
export const secretOrderSql = (order: SecretOrder, dialect: SqlDialect): string => {
  const direction = order.endsWith('_desc') ? 'DESC' : 'ASC';
  const column = order.startsWith('name')
    ? binaryText('s.name', dialect)
    : order.startsWith('created')
      ? 's.created_at'
      : 's.updated_at';
  return `${column} ${direction}, s.id ${direction}`;
};

/** Narrows `secret_versions v` to one revision: a number, `latest` or `latest_enabled`. */
export const revisionSql = (selector: RevisionSelector): { clause: string; params: SqlValue[] } => {
  if (selector === 'latest') {
    return { clause: 'ORDER BY v.revision DESC LIMIT 1', params: [] };
  }
  if (selector === 'latest_enabled') {
    return { clause: "AND v.status = 'enabled' ORDER BY v.revision DESC LIMIT 1", params: [] };
  }
  return { clause: 'AND v.revision = ?', params: [selector] };
};

// The version columns the secret has too are renamed; the rest keep their names.
const JOINED_VERSION_COLUMNS = VERSION_COLUMN_LIST.slice(1)
  .map((column) => `v.${column} AS v_${column}`)
  .join(', ');

/** The hot path: a secret, one of its versions and the payload, in one statement. */
export const joinedVersionSql = (clause: string): string =>
  `SELECT ${secretColumns('s')}, ${JOINED_VERSION_COLUMNS}, v.dek_id, v.kek_id, v.wrapped_dek, v.ciphertext
   FROM secrets s JOIN secret_versions v ON v.secret_id = s.id
   WHERE s.id = ? AND s.region = ? ${clause}`;

/**
 * Where a live secret is, by (region, project, path, name). The name is compared as the
 * path-listing index holds it (code points): equality is the same under any deterministic
 * collation, and PostgreSQL's generic plan, which once chose that index while comparing
 * names in the locale, then reads one entry instead of every secret of the folder.
 */
export const livePathMatch = (alias: string, dialect: SqlDialect): string => {
  const column = (name: string) => (alias === '' ? name : `${alias}.${name}`);
  return `${column('region')} = ? AND ${column('project_id')} = ? AND ${column('path')} = ? AND ${binaryText(column('name'), dialect)} = ? AND ${column('deletion_requested_at')} IS NULL`;
};

/** The same read by where a secret lives, for APIs that name secrets by path (Vault). */
export const joinedVersionByPathSql = (clause: string, dialect: SqlDialect): string =>
  `SELECT ${secretColumns('s')}, ${JOINED_VERSION_COLUMNS}, v.dek_id, v.kek_id, v.wrapped_dek, v.ciphertext
   FROM secrets s JOIN secret_versions v ON v.secret_id = s.id
   WHERE ${livePathMatch('s', dialect)} ${clause}`;

type Prefixed<Row> = { [Column in keyof Row & string as `v_${Column}`]: Row[Column] };
export type JoinedRow = SecretRow & Prefixed<Omit<VersionRow, 'secret_id'>> & PayloadRow;

export const versionFromJoinedRow = (row: JoinedRow) =>
  versionFromRow({
    secret_id: row.id,
    revision: row.v_revision,
    status: row.v_status,
    description: row.v_description,
    created_at: row.v_created_at,
    updated_at: row.v_updated_at,
    deleted_at: row.v_deleted_at,
    deletion_requested_at: row.v_deletion_requested_at,
    status_before_deletion: row.v_status_before_deletion,
    eph_expires_at: row.v_eph_expires_at,
    eph_expires_once_accessed: row.v_eph_expires_once_accessed,
    eph_action: row.v_eph_action,
    checksum_algorithm: row.v_checksum_algorithm,
    disabled_at: row.v_disabled_at,
  });
