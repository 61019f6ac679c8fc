import type { RevisionSelector, SecretFilter, SecretOrder } from '../../core/secrets/index.js';
import type { SqlDriver, SqlValue } from './sql-driver.js';
import { VERSION_COLUMNS } from './secret-rows.js';

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (char) => `\\${char}`);

/** WHERE clause and parameters for a secret listing; shared by the page and its count. */
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
  if (filter.name !== null) {
    add('s.name = ?', filter.name);
  }
  if (filter.path !== null) {
    add('s.path = ?', filter.path);
  }
  if (filter.pathPrefix !== null && filter.pathPrefix !== '/') {
    add("(s.path = ? OR s.path LIKE ? ESCAPE '\\')", filter.pathPrefix, `${escapeLike(filter.pathPrefix)}/%`);
  }
  for (const tag of filter.tags) {
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

/** ORDER BY for a listing; names compare by code unit, as Scaleway sorts them. */
export const secretOrderSql = (order: SecretOrder, dialect: SqlDriver['dialect']): string => {
  const direction = order.endsWith('_desc') ? 'DESC' : 'ASC';
  const column = order.startsWith('name')
    ? dialect === 'postgres'
      ? 's.name COLLATE "C"'
      : 's.name'
    : order.startsWith('created')
      ? 's.created_at'
      : 's.updated_at';
  return `${column} ${direction}, s.id ${direction}`;
};

/** Selects one version by number, `latest` or `latest_enabled`. */
export const revisionSql = (selector: RevisionSelector): { clause: string; params: SqlValue[]; tail: string } => {
  if (selector === 'latest') {
    return { clause: '', params: [], tail: 'ORDER BY v.revision DESC LIMIT 1' };
  }
  if (selector === 'latest_enabled') {
    return { clause: "AND v.status = 'enabled'", params: [], tail: 'ORDER BY v.revision DESC LIMIT 1' };
  }
  return { clause: 'AND v.revision = ?', params: [selector], tail: '' };
};

export const prefixedVersionColumns = VERSION_COLUMNS.split(', ')
  .map((column) => `v.${column} AS v_${column}`)
  .join(', ');

/** Strips the `v_` prefix a joined query put on version columns. */
export const unprefix = (row: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(row).filter(([key]) => key.startsWith('v_')).map(([key, value]) => [key.slice(2), value]));
