import type { CustomerKey, KeyFilter, KeyOrder, KeyOrigin, KeyState, KeyVersionRecord } from '../../core/kms/index.js';
import { asBuffer, type SqlDialect, type SqlValue } from './sql-driver.js';

export const KEY_COLUMNS = [
  'id',
  'organization_id',
  'project_id',
  'region',
  'name',
  'description',
  'tags',
  'usage',
  'algorithm',
  'state',
  'state_before_deletion',
  'protected',
  'origin',
  'current_version',
  'rotation_period_seconds',
  'next_rotation_at',
  'rotated_at',
  'created_at',
  'updated_at',
  'deletion_requested_at',
] as const;

export const keyColumns = (alias = ''): string => KEY_COLUMNS.map((column) => (alias ? `${alias}.${column}` : column)).join(', ');
export const KEY_ASSIGNMENTS = KEY_COLUMNS.slice(1).map((column) => `${column} = ?`).join(', ');

export interface KeyRow {
  id: string;
  organization_id: string;
  project_id: string;
  region: string;
  name: string;
  description: string;
  tags: string;
  usage: string;
  algorithm: string;
  state: string;
  state_before_deletion: string | null;
  protected: number;
  origin: string;
  current_version: number;
  rotation_period_seconds: number | null;
  next_rotation_at: number | null;
  rotated_at: number | null;
  created_at: number;
  updated_at: number;
  deletion_requested_at: number | null;
}

const nullableNumber = (value: number | null): number | null => (value === null ? null : Number(value));

export const keyFromRow = (row: KeyRow): CustomerKey => ({
  id: row.id,
  organizationId: row.organization_id,
  projectId: row.project_id,
  region: row.region,
  name: row.name,
  description: row.description,
  tags: JSON.parse(row.tags) as string[],
  usage: 'symmetric_encryption',
  algorithm: 'aes_256_gcm',
  state: row.state as KeyState,
  stateBeforeDeletion: row.state_before_deletion as KeyState | null,
  protected: Number(row.protected) === 1,
  origin: row.origin as KeyOrigin,
  currentVersion: Number(row.current_version),
  rotationPolicy:
    row.rotation_period_seconds === null || row.next_rotation_at === null
      ? null
      : { periodSeconds: Number(row.rotation_period_seconds), nextRotationAt: Number(row.next_rotation_at) },
  rotatedAt: nullableNumber(row.rotated_at),
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
  deletionRequestedAt: nullableNumber(row.deletion_requested_at),
});

/** Column values in KEY_COLUMNS order, the id first. */
export const keyValues = (key: CustomerKey): SqlValue[] => [
  key.id,
  key.organizationId,
  key.projectId,
  key.region,
  key.name,
  key.description,
  JSON.stringify(key.tags),
  key.usage,
  key.algorithm,
  key.state,
  key.stateBeforeDeletion,
  key.protected ? 1 : 0,
  key.origin,
  key.currentVersion,
  key.rotationPolicy?.periodSeconds ?? null,
  key.rotationPolicy?.nextRotationAt ?? null,
  key.rotatedAt,
  key.createdAt,
  key.updatedAt,
  key.deletionRequestedAt,
];

export interface KeyVersionRow {
  id: string;
  key_id: string;
  version: number;
  wrapped_material: Uint8Array;
  created_at: number;
}

export const VERSION_COLUMNS = 'id, key_id, version, wrapped_material, created_at';

export const versionFromRow = (row: KeyVersionRow): KeyVersionRecord => ({
  id: row.id,
  keyId: row.key_id,
  version: Number(row.version),
  wrappedMaterial: asBuffer(row.wrapped_material),
  createdAt: Number(row.created_at),
});

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (character) => `\\${character}`);

/** WHERE for a key listing; tags are matched inside the JSON array as quoted strings. */
export const keyFilterSql = (filter: KeyFilter): { where: string; params: SqlValue[] } => {
  const clauses = ['region = ?', 'organization_id = ?', filter.scheduledForDeletion ? "state = 'scheduled_for_deletion'" : "state <> 'scheduled_for_deletion'"];
  const params: SqlValue[] = [filter.region, filter.organizationId];
  if (filter.projectId !== null) {
    clauses.push('project_id = ?');
    params.push(filter.projectId);
  }
  if (filter.projectIds !== null) {
    if (filter.projectIds.length === 0) {
      clauses.push('1 = 0');
    } else {
      clauses.push(`project_id IN (${filter.projectIds.map(() => '?').join(', ')})`);
      params.push(...filter.projectIds);
    }
  }
  if (filter.name !== null) {
    clauses.push('name = ?');
    params.push(filter.name);
  }
  for (const tag of filter.tags) {
    clauses.push("tags LIKE ? ESCAPE '\\'");
    params.push(`%${escapeLike(JSON.stringify(tag))}%`);
  }
  return { where: clauses.join(' AND '), params };
};

export const keyOrderSql = (order: KeyOrder, dialect: SqlDialect): string => {
  const direction = order.endsWith('_desc') ? 'DESC' : 'ASC';
  const column = order.startsWith('name') ? (dialect === 'postgres' ? 'name COLLATE "C"' : 'name') : order.startsWith('created') ? 'created_at' : 'updated_at';
  return `${column} ${direction}, id ${direction}`;
};
