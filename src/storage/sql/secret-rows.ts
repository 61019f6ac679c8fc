import type {
  ChecksumAlgorithm,
  EphemeralPolicy,
  SealedPayload,
  Secret,
  SecretType,
  SecretVersion,
  VersionStatus,
} from '../../core/secrets/index.js';
import type { SqlValue } from './sql-driver.js';

/** Secret columns, in the order `secretValues` writes them. */
export const SECRET_COLUMNS =
  'id, region, organization_id, project_id, name, path, type, description, tags, protected, ephemeral_policy, used_by, key_id, version_count, created_at, updated_at, deletion_requested_at';

export const VERSION_COLUMNS =
  'secret_id, revision, status, description, created_at, updated_at, deleted_at, deletion_requested_at, status_before_deletion, eph_expires_at, eph_expires_once_accessed, eph_action, checksum_algorithm';

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
}

export interface PayloadRow {
  dek_id: string;
  kek_id: string;
  wrapped_dek: Uint8Array | null;
  ciphertext: Uint8Array | null;
}

const num = (value: number | null): number | null => (value === null ? null : Number(value));

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
  deletionRequestedAt: num(row.deletion_requested_at),
});

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
];

export const versionFromRow = (row: VersionRow): SecretVersion => ({
  secretId: row.secret_id,
  revision: Number(row.revision),
  status: row.status as VersionStatus,
  description: row.description,
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
  deletedAt: num(row.deleted_at),
  deletionRequestedAt: num(row.deletion_requested_at),
  statusBeforeDeletion: row.status_before_deletion as VersionStatus | null,
  ephemeral:
    row.eph_action === null
      ? null
      : {
          expiresAt: num(row.eph_expires_at),
          expiresOnceAccessed: row.eph_expires_once_accessed === null ? null : Number(row.eph_expires_once_accessed) === 1,
          action: row.eph_action as 'delete' | 'disable',
        },
  checksumAlgorithm: row.checksum_algorithm as ChecksumAlgorithm | null,
});

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
  version.ephemeral?.expiresOnceAccessed === null || version.ephemeral === null ? null : version.ephemeral.expiresOnceAccessed ? 1 : 0,
  version.ephemeral?.action ?? null,
  version.checksumAlgorithm,
];

export const sealedFromRow = (row: PayloadRow): SealedPayload | null =>
  row.wrapped_dek === null || row.ciphertext === null
    ? null
    : { dekId: row.dek_id, kekId: row.kek_id, wrappedDek: Buffer.from(row.wrapped_dek), ciphertext: Buffer.from(row.ciphertext) };

export const placeholders = (count: number): string => Array.from({ length: count }, () => '?').join(', ');
