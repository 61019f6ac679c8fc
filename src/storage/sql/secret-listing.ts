import type { Secret, SecretFilter, SecretOrder, SecretVersion, VersionStatus } from '../../core/secrets/index.js';
import { pageOffset, type Page, type PageRequest } from '../../shared/paging.js';
import { binaryText, secretFilterSql, secretOrderSql } from './secret-queries.js';
import { placeholders, secretColumns, secretFromRow, versionColumns, versionFromRow, type SecretRow, type VersionRow } from './secret-rows.js';
import type { SqlDriver, SqlValue } from './sql-driver.js';

type Counted<Row> = Row & { total_count: number };

/**
 * One page and the exact total. The total rides on the page's rows (a window count), so
 * both come from one snapshot; only a page past the end needs a second statement.
 */
const countedPage = async <Row, Item>(
  db: SqlDriver,
  select: string,
  countSql: string,
  params: SqlValue[],
  page: PageRequest,
  map: (row: Counted<Row>) => Item,
  selectParams: SqlValue[] = params,
): Promise<Page<Item>> => {
  const offset = pageOffset(page);
  const rows = await db.all<Counted<Row>>(`${select} LIMIT ? OFFSET ?`, [...selectParams, page.pageSize, offset]);
  const first = rows[0];
  if (first !== undefined) {
    return { items: rows.map(map), totalCount: Number(first.total_count) };
  }
  if (offset === 0) {
    return { items: [], totalCount: 0 };
  }
  const count = await db.get<{ total: number }>(countSql, params);
  return { items: [], totalCount: Number(count?.total ?? 0) };
};

export const listSecrets = (db: SqlDriver, filter: SecretFilter, order: SecretOrder, page: PageRequest): Promise<Page<Secret>> => {
  const { where, params } = secretFilterSql(filter);
  const count = `SELECT COUNT(*) AS total FROM secrets s WHERE ${where}`;
  // The count is a subquery of the same statement rather than a window over the page's
  // query: an index can then answer it alone, and the page read only its own rows.
  return countedPage<SecretRow, Secret>(
    db,
    `SELECT ${secretColumns('s')}, (${count}) AS total_count FROM secrets s WHERE ${where} ORDER BY ${secretOrderSql(order, db.dialect)}`,
    count,
    params,
    page,
    secretFromRow,
    [...params, ...params],
  );
};

export const listAllSecrets = async (db: SqlDriver, filter: SecretFilter): Promise<Secret[]> => {
  const { where, params } = secretFilterSql(filter);
  const rows = await db.all<SecretRow>(
    `SELECT ${secretColumns('s')} FROM secrets s WHERE ${where} ORDER BY ${secretOrderSql('name_asc', db.dialect)}`,
    params,
  );
  return rows.map(secretFromRow);
};

export const listVersions = (db: SqlDriver, secretId: string, statuses: VersionStatus[], page: PageRequest): Promise<Page<SecretVersion>> => {
  const wanted = [...new Set(statuses)];
  const where = `secret_id = ?${wanted.length > 0 ? ` AND status IN (${placeholders(wanted.length)})` : ''}`;
  return countedPage<VersionRow, SecretVersion>(
    db,
    `SELECT ${versionColumns()}, COUNT(*) OVER () AS total_count FROM secret_versions WHERE ${where} ORDER BY revision DESC`,
    `SELECT COUNT(*) AS total FROM secret_versions WHERE ${where}`,
    [secretId, ...wanted],
    page,
    versionFromRow,
  );
};

/** Distinct values of `column` over the scope's secrets not scheduled for deletion, ascending. */
export const listDistinct = (
  db: SqlDriver,
  column: 't.tag' | 's.type',
  scope: { region: string; organizationId: string; projectId: string | null },
  page: PageRequest,
): Promise<Page<string>> => {
  const from = column === 't.tag' ? 'secret_tags t JOIN secrets s ON s.id = t.secret_id' : 'secrets s';
  const project = scope.projectId === null ? '' : ' AND s.project_id = ?';
  const where = `s.region = ? AND s.organization_id = ? AND s.deletion_requested_at IS NULL${project}`;
  const params = scope.projectId === null ? [scope.region, scope.organizationId] : [scope.region, scope.organizationId, scope.projectId];
  const distinct = `SELECT DISTINCT ${column} AS value FROM ${from} WHERE ${where}`;
  return countedPage<{ value: string }, string>(
    db,
    `SELECT value, COUNT(*) OVER () AS total_count FROM (${distinct}) d ORDER BY ${binaryText('value', db.dialect)}`,
    `SELECT COUNT(*) AS total FROM (${distinct}) d`,
    params,
    page,
    (row) => row.value,
  );
};
