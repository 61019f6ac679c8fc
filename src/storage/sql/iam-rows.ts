import type { ApiKeyRecord, Application, Policy, PolicyRule, Principal, Project } from '../../core/iam/index.js';
import { AppError } from '../../shared/errors.js';
import { asBuffer, type SqlValue } from './sql-driver.js';

export interface ProjectRow {
  id: string;
  organization_id: string;
  name: string;
  description: string;
  created_at: number;
  updated_at: number;
}

export interface ApiKeyRow {
  access_key: string;
  secret_key_hash: Uint8Array;
  organization_id: string;
  default_project_id: string;
  description: string;
  role: string;
  created_at: number;
  expires_at: number | null;
  application_id: string | null;
  user_id: string | null;
}

/** `INSERT INTO table (columns) VALUES (?, …)` with one placeholder a column. */
export const insertSql = (table: string, columns: string): string =>
  `INSERT INTO ${table} (${columns}) VALUES (${columns
    .split(', ')
    .map(() => '?')
    .join(', ')})`;

/** Every column but the first (the key), as `column = ?`, for an UPDATE in value order. */
export const assignmentsOf = (columns: string): string =>
  columns
    .split(', ')
    .slice(1)
    .map((column) => `${column} = ?`)
    .join(', ');

export const PROJECT_COLUMNS = 'id, organization_id, name, description, created_at, updated_at';
export const INSERT_PROJECT = insertSql('projects', PROJECT_COLUMNS);
export const INSERT_ORGANIZATION = 'INSERT INTO organizations (id, name, created_at) VALUES (?, ?, ?)';

/** Values in `PROJECT_COLUMNS` order. */
export const projectValues = (project: Project): SqlValue[] => [
  project.id,
  project.organizationId,
  project.name,
  project.description,
  project.createdAt,
  project.updatedAt,
];
export const API_KEY_COLUMNS = 'access_key, secret_key_hash, organization_id, default_project_id, description, role, created_at, expires_at, application_id, user_id';

export const projectFromRow = (row: ProjectRow): Project => ({
  id: row.id,
  organizationId: row.organization_id,
  name: row.name,
  description: row.description,
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
});

export const apiKeyFromRow = (row: ApiKeyRow): ApiKeyRecord => {
  // Fail closed: a role this build does not know grants nothing, rather than admin.
  if (row.role !== 'admin' && row.role !== 'application' && row.role !== 'user') {
    throw new AppError('internal', 'an API key has a role this version does not know');
  }
  return {
    accessKey: row.access_key,
    secretKeyHash: asBuffer(row.secret_key_hash),
    organizationId: row.organization_id,
    defaultProjectId: row.default_project_id,
    description: row.description,
    role: row.role,
    createdAt: Number(row.created_at),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    applicationId: row.application_id,
    userId: row.user_id,
  };
};

export const apiKeyValues = (apiKey: ApiKeyRecord): SqlValue[] => [
  apiKey.accessKey,
  asBuffer(apiKey.secretKeyHash),
  apiKey.organizationId,
  apiKey.defaultProjectId,
  apiKey.description,
  apiKey.role,
  apiKey.createdAt,
  apiKey.expiresAt,
  apiKey.applicationId,
  apiKey.userId,
];

export interface ApplicationRow {
  id: string;
  organization_id: string;
  name: string;
  description: string;
  tags: string;
  created_at: number;
  updated_at: number;
}

export const APPLICATION_COLUMNS = 'id, organization_id, name, description, tags, created_at, updated_at';

/** Values in `APPLICATION_COLUMNS` order. */
export const applicationValues = (application: Application): SqlValue[] => [
  application.id,
  application.organizationId,
  application.name,
  application.description,
  JSON.stringify(application.tags),
  application.createdAt,
  application.updatedAt,
];

export const applicationFromRow = (row: ApplicationRow): Application => ({
  id: row.id,
  organizationId: row.organization_id,
  name: row.name,
  description: row.description,
  tags: JSON.parse(row.tags) as string[],
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
});

export interface PolicyRow extends ApplicationRow {
  application_id: string | null;
  user_id: string | null;
  group_id: string | null;
  rules: string;
}

export const POLICY_COLUMNS = 'id, organization_id, name, description, tags, application_id, rules, created_at, updated_at, user_id, group_id';
/** Policy columns but `id`, as `column = ?` in `policyValues` order. */
export const POLICY_ASSIGNMENTS = assignmentsOf(POLICY_COLUMNS);

/** Values in `POLICY_COLUMNS` order. */
export const policyValues = (policy: Policy): SqlValue[] => [
  policy.id,
  policy.organizationId,
  policy.name,
  policy.description,
  JSON.stringify(policy.tags),
  principalColumn(policy.principal, 'application'),
  JSON.stringify(policy.rules),
  policy.createdAt,
  policy.updatedAt,
  principalColumn(policy.principal, 'user'),
  principalColumn(policy.principal, 'group'),
];

/** A policy's principal is stored in the one of three columns its kind names. */
const principalColumn = (principal: Principal | null, kind: Principal['kind']): string | null => (principal?.kind === kind ? principal.id : null);

const principalFromRow = (row: PolicyRow): Principal | null =>
  row.application_id !== null
    ? { kind: 'application', id: row.application_id }
    : row.user_id !== null
      ? { kind: 'user', id: row.user_id }
      : row.group_id !== null
        ? { kind: 'group', id: row.group_id }
        : null;

export const policyFromRow = (row: PolicyRow): Policy => ({
  ...applicationFromRow(row),
  principal: principalFromRow(row),
  rules: JSON.parse(row.rules) as PolicyRule[],
});

