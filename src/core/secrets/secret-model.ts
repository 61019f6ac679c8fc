/** Domain shapes of secrets and versions. Times are epoch microseconds. */

export const SECRET_TYPES = [
  'opaque',
  'certificate',
  'key_value',
  'basic_credentials',
  'database_credentials',
  'ssh_key',
  'api_key',
  'bearer_token',
  'client_credentials',
] as const;
export type SecretType = (typeof SECRET_TYPES)[number];

export const VERSION_STATUSES = ['enabled', 'disabled', 'deleted', 'scheduled_for_deletion'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

export type ChecksumAlgorithm = 'crc32' | 'crc32c';

export type EphemeralAction = 'delete' | 'disable';

export interface EphemeralPolicy {
  timeToLiveSeconds: number | null;
  expiresOnceAccessed: boolean | null;
  action: EphemeralAction;
}

/** The expiry a version took from its secret's policy when it was created or re-enabled. */
export interface EphemeralProperties {
  expiresAt: number | null;
  expiresOnceAccessed: boolean | null;
  action: EphemeralAction;
}

/**
 * Per-secret settings of the key/value APIs (Vault KV v2, OVHcloud); null until one of
 * them sets something. 0/false mean unset, so the domain's settings apply.
 */
export interface SecretKvMetadata {
  maxVersions: number;
  casRequired: boolean;
  deleteVersionAfterSeconds: number;
  customMetadata: Record<string, string> | null;
  /** Vault's `oldest_version`: 0 until the first pruning, then the lowest kept version. */
  oldestVersion: number;
}

export interface Secret {
  id: string;
  region: string;
  organizationId: string;
  projectId: string;
  name: string;
  path: string;
  type: SecretType;
  description: string;
  tags: string[];
  protected: boolean;
  ephemeralPolicy: EphemeralPolicy | null;
  usedBy: string[];
  keyId: string | null;
  versionCount: number;
  createdAt: number;
  updatedAt: number;
  deletionRequestedAt: number | null;
  kvMetadata: SecretKvMetadata | null;
  /** Set while the secret is deactivated: its versions cannot be read until it is enabled again. */
  disabledAt: number | null;
  /** When the secret stops being readable; null: never. */
  expiresAt: number | null;
  /** While scheduled for deletion: when the window ends and the purge destroys it; restore is refused from then on. */
  purgeAt: number | null;
}

/** A secret's lifecycle state, as every API shows it. */
export type SecretStatus = 'enabled' | 'disabled' | 'scheduled_for_deletion';

export const secretStatusOf = (secret: Pick<Secret, 'deletionRequestedAt' | 'disabledAt'>): SecretStatus =>
  secret.deletionRequestedAt !== null ? 'scheduled_for_deletion' : secret.disabledAt !== null ? 'disabled' : 'enabled';

export interface SecretVersion {
  secretId: string;
  revision: number;
  status: VersionStatus;
  description: string;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
  deletionRequestedAt: number | null;
  /** What `restore` puts back after a scheduled deletion. */
  statusBeforeDeletion: VersionStatus | null;
  ephemeral: EphemeralProperties | null;
  /** When the version was last disabled (Vault's `deletion_time`); null while enabled. */
  disabledAt: number | null;
  /**
   * The CRC-32 polynomial the writer's `data_crc32` used. The checksum itself is
   * derived from the payload, so it is recomputed on access and never stored.
   */
  checksumAlgorithm: ChecksumAlgorithm | null;
}

/** A version as callers see it: `latest` is true only for the highest revision, whatever its status. */
export interface VersionView extends SecretVersion {
  latest: boolean;
}

/**
 * A version's payload as stored: the data key wrapped by the key-encryption key,
 * and the payload encrypted by the data key. Both are opaque bytes to storage.
 */
export interface SealedPayload {
  dekId: string;
  kekId: string;
  wrappedDek: Uint8Array;
  ciphertext: Uint8Array;
}

/** `latest` is the highest revision whatever its status; `latest_enabled` the highest enabled one. */
export type RevisionSelector = number | 'latest' | 'latest_enabled';

export type SecretOrder =
  | 'name_asc'
  | 'name_desc'
  | 'created_at_asc'
  | 'created_at_desc'
  | 'updated_at_asc'
  | 'updated_at_desc';

export interface SecretFilter {
  region: string;
  organizationId: string;
  projectId: string | null;
  /** Only these projects (the ones the caller may list); null: no such limit. */
  projectIds: string[] | null;
  /** Only secrets whose full path starts with one of these (the caller's path-limited rights); null: no limit. */
  pathPrefixes: string[] | null;
  name: string | null;
  path: string | null;
  /** Secrets under this folder at any depth (used by browse). */
  pathPrefix: string | null;
  tags: string[];
  type: SecretType | null;
  ephemeral: boolean | null;
  scheduledForDeletion: boolean | null;
}
