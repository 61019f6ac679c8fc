import { formatMicros } from '../../shared/clock.js';
import { crc32c, crc32Ieee } from '../../shared/crc32.js';
import type {
  AccessedVersion,
  BrowseItem,
  EphemeralPolicy,
  EphemeralProperties,
  Secret,
  VersionView,
} from '../../core/secrets/index.js';

/**
 * Domain → Scaleway JSON. Every field is always present (null when absent), in the
 * order Scaleway's OpenAPI lists them, with microsecond timestamps.
 */
const time = (micros: number | null): string | null => (micros === null ? null : formatMicros(micros));

export const formatDuration = (seconds: number): string => `${Number.isInteger(seconds) ? seconds : seconds.toFixed(9).replace(/0+$/, '')}s`;

const presentPolicy = (policy: EphemeralPolicy | null) =>
  policy === null
    ? null
    : {
        time_to_live: policy.timeToLiveSeconds === null ? null : formatDuration(policy.timeToLiveSeconds),
        expires_once_accessed: policy.expiresOnceAccessed,
        action: policy.action,
      };

const presentProperties = (properties: EphemeralProperties | null) =>
  properties === null
    ? null
    : {
        expires_at: time(properties.expiresAt),
        expires_once_accessed: properties.expiresOnceAccessed,
        action: properties.action,
      };

export const presentSecret = (secret: Secret) => ({
  id: secret.id,
  project_id: secret.projectId,
  name: secret.name,
  status: 'ready',
  created_at: time(secret.createdAt),
  updated_at: time(secret.updatedAt),
  tags: secret.tags,
  version_count: secret.versionCount,
  description: secret.description,
  managed: false,
  protected: secret.protected,
  type: secret.type,
  path: secret.path,
  ephemeral_policy: presentPolicy(secret.ephemeralPolicy),
  used_by: secret.usedBy,
  deletion_requested_at: time(secret.deletionRequestedAt),
  key_id: secret.keyId,
  region: secret.region,
});

export const presentVersion = (version: VersionView, region: string) => ({
  revision: version.revision,
  secret_id: version.secretId,
  status: version.status,
  created_at: time(version.createdAt),
  updated_at: time(version.updatedAt),
  deleted_at: time(version.deletedAt),
  description: version.description,
  latest: version.latest,
  ephemeral_properties: presentProperties(version.ephemeral),
  deletion_requested_at: time(version.deletionRequestedAt),
  region,
});

export const presentAccess = ({ secret, version, data }: AccessedVersion) => ({
  secret_id: secret.id,
  revision: version.revision,
  data: data.toString('base64'),
  data_crc32: version.checksumAlgorithm === null ? null : version.checksumAlgorithm === 'crc32' ? crc32Ieee(data) : crc32c(data),
  type: secret.type,
});

export const presentBrowseItem = (item: BrowseItem) => ({
  name: item.name,
  created_at: time(item.createdAt),
  updated_at: time(item.updatedAt),
  ...(item.kind === 'secret'
    ? {
        secret: {
          id: item.secret.id,
          tags: item.secret.tags,
          version_count: item.secret.versionCount,
          protected: item.secret.protected,
          ephemeral_policy: presentPolicy(item.secret.ephemeralPolicy),
          type: item.secret.type,
        },
      }
    : { folder: {} }),
});
