import type {
  ChecksumAlgorithm,
  EphemeralAction,
  EphemeralPolicy,
  SealedPayload,
  Secret,
  SecretKvMetadata,
  SecretType,
  SecretVersion,
  VersionStatus,
} from '../../core/secrets/index.js';
import { asBuffer, type SqlValue } from './sql-driver.js';

export const SECRET_COLUMN_LIST = [
  'id',
  'region',
  'organization_id',
  'project_id',
  'name',
  'path',
  'type',
  'description',
  'tags',
  'protected',
  'ephemeral_policy',
  'used_by',
  'key_id',
  'version_count',
  'created_at',
  'updated_at',
  'deletion_requested_at',
  'kv_metadata',
  'disabled_at',
  'expires_at',
  'purge_at',
] as const;

/** Every version column but the payload ones, which only the reads that need them select. */
export const VERSION_COLUMN_LIST = [
  'secret_id',
  'revision',
  'status',
  'description',
  'created_at',
  'updated_at',
  'deleted_at',
  'deletion_requested_at',
  'status_before_deletion',
  'eph_expires_at',
  'eph_expires_once_accessed',
  'eph_action',
  'checksum_algorithm',
  'disabled_at',
] as const;

/** Secret columns in `secretValues` order, optionally qualified by a table alias. */
export const secretColumns = (alias = ''): string =>
  SECRET_COLUMN_LIST.map((column) => (alias === '' ? column : `${alias}.${column}`)).join(', ');
export const versionColumns = (alias = ''): string =>
  VERSION_COLUMN_LIST.map((column) => (alias === '' ? column : `${alias}.${column}`)).join(', ');
/** Secret columns but `id`, as `column = ?` in `secretValues` order. */
export const SECRET_ASSIGNMENTS = SECRET_COLUMN_LIST.slice(1)
  .map((column) => `${column} = ?`)
  .join(', ');
export const SECRET_PLACEHOLDERS = SECRET_COLUMN_LIST.map(() => '?').join(', ');

export interface SecretRow {
  id: string;
  region: string;
  organization_id: string;
  project_id: string;
  name: string;
  path: string;
  type: string;
  description: string;
  tags: string;
  protected: number;
  ephemeral_policy: string | null;
  used_by: string;
  key_id: string | null;
  version_count: number;
  created_at: number;
  updated_at: number;
  deletion_requested_at: number | null;
  kv_metadata: string | null;
  disabled_at: number | null;
  expires_at: number | null;
  purge_at: number | null;
}

export interface VersionRow {
  secret_id: string;
  revision: number;
  status: string;
  description: string;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  deletion_requested_at: number | null;
  status_before_deletion: string | null;
  eph_expires_at: number | null;
  eph_expires_once_accessed: number | null;
  eph_action: string | null;
  checksum_algorithm: string | null;
  disabled_at: number | null;
}

export interface PayloadRow {
  dek_id: string;
  kek_id: string;
  wrapped_dek: Uint8Array | null;
  ciphertext: Uint8Array | null;
}

const orNull = (value: number | null): number | null => (value === null ? null : Number(value));

export const secretFromRow = (row: SecretRow): Secret => ({
  id: row.id,
  region: row.region,
  organizationId: row.organization_id,
  projectId: row.project_id,
  name: row.name,
  path: row.path,
  type: row.type as SecretType,
  description: row.description,
  tags: JSON.parse(row.tags) as string[],
  protected: Number(row.protected) === 1,
  ephemeralPolicy: row.ephemeral_policy === null ? null : (JSON.parse(row.ephemeral_policy) as EphemeralPolicy),
  usedBy: JSON.parse(row.used_by) as string[],
  keyId: row.key_id,
  versionCount: Number(row.version_count),
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
  deletionRequestedAt: orNull(row.deletion_requested_at),
  kvMetadata: row.kv_metadata === null ? null : (JSON.parse(row.kv_metadata) as SecretKvMetadata),
  disabledAt: orNull(row.disabled_at),
  expiresAt: orNull(row.expires_at),
  purgeAt: orNull(row.purge_at),
});

/** Column values in `secretColumns()` order. */
export const secretValues = (secret: Secret): SqlValue[] => [
  secret.id,
  secret.region,
  secret.organizationId,
  secret.projectId,
  secret.name,
  secret.path,
  secret.type,
  secret.description,
  JSON.stringify(secret.tags),
  secret.protected ? 1 : 0,
  secret.ephemeralPolicy === null ? null : JSON.stringify(secret.ephemeralPolicy),
  JSON.stringify(secret.usedBy),
  secret.keyId,
  secret.versionCount,
  secret.createdAt,
  secret.updatedAt,
  secret.deletionRequestedAt,
  secret.kvMetadata === null ? null : JSON.stringify(secret.kvMetadata),
  secret.disabledAt,
  secret.expiresAt,
  secret.purgeAt,
];

export const versionFromRow = (row: VersionRow): SecretVersion => ({
  secretId: row.secret_id,
  revision: Number(row.revision),
  status: row.status as VersionStatus,
  description: row.description,
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
  deletedAt: orNull(row.deleted_at),
  deletionRequestedAt: orNull(row.deletion_requested_at),
  statusBeforeDeletion: row.status_before_deletion as VersionStatus | null,
  ephemeral:
    row.eph_action === null
      ? null
      : {
          expiresAt: orNull(row.eph_expires_at),
          expiresOnceAccessed: row.eph_expires_once_accessed === null ? null : Number(row.eph_expires_once_accessed) === 1,
          action: row.eph_action as EphemeralAction,
        },
  checksumAlgorithm: row.checksum_algorithm as ChecksumAlgorithm | null,
  disabledAt: orNull(row.disabled_at),
});

const onceAccessed = (version: SecretVersion): number | null => {
  const flag = version.ephemeral?.expiresOnceAccessed ?? null;
  return flag === null ? null : flag ? 1 : 0;
};

/** Column values in `versionColumns()` order. */
export const versionValues = (version: SecretVersion): SqlValue[] => [
  version.secretId,
  version.revision,
  version.status,
  version.description,
  version.createdAt,
  version.updatedAt,
  version.deletedAt,
  version.deletionRequestedAt,
  version.statusBeforeDeletion,
  version.ephemeral?.expiresAt ?? null,
  onceAccessed(version),
  version.ephemeral?.action ?? null,
  version.checksumAlgorithm,
  version.disabledAt,
];

/** What a version may never change once written: its key, creation time and checksum algorithm. */
const FIXED_VERSION_COLUMNS: ReadonlySet<string> = new Set(['secret_id', 'revision', 'created_at', 'checksum_algorithm']);
const MUTABLE_VERSION_INDEXES = VERSION_COLUMN_LIST.flatMap((column, index) => (FIXED_VERSION_COLUMNS.has(column) ? [] : [index]));

/** Every other column as `column = ?`, in `versionUpdateValues` order. */
export const VERSION_ASSIGNMENTS = MUTABLE_VERSION_INDEXES.map((index) => `${VERSION_COLUMN_LIST[index] ?? ''} = ?`).join(', ');

/** Values for `VERSION_ASSIGNMENTS`, then the key; taken from `versionValues`, so one list decides the order. */
export const versionUpdateValues = (version: SecretVersion): SqlValue[] => {
  const all = versionValues(version);
  return [...MUTABLE_VERSION_INDEXES.map((index) => all[index] ?? null), version.secretId, version.revision];
};

/** Null once the payload is erased. */
export const sealedFromRow = (row: PayloadRow): SealedPayload | null =>
  row.wrapped_dek === null || row.ciphertext === null
    ? null
    : { dekId: row.dek_id, kekId: row.kek_id, wrappedDek: asBuffer(row.wrapped_dek), ciphertext: asBuffer(row.ciphertext) };

export const placeholders = (count: number): string => Array.from({ length: count }, () => '?').join(', ');
