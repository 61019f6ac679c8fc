import type { KvData, KvKeyMetadata, KvSettings, KvVersionInfo } from '../../core/kv/index.js';
import { formatMicros } from '../../shared/clock.js';
import { formatDurationSeconds } from '../go-duration.js';

const time = (micros: number | null): string | null => (micros === null ? null : formatMicros(micros));

/** OVHcloud calls a destroyed version `deleted`; Vault's soft delete is its `deactivated`. */
const STATE = { active: 'active', deactivated: 'deactivated', destroyed: 'deleted' } as const;

/**
 * `deactivatedAt` is when the version stopped being readable, or, for an active version
 * under a `deactivateVersionAfter` rule, when it will.
 */
export const presentVersion = (version: KvVersionInfo, data?: KvData) => ({
  id: version.version,
  state: STATE[version.state],
  createdAt: formatMicros(version.createdAt),
  deactivatedAt: time(version.deletionTime),
  ...(data === undefined ? {} : { data }),
});

/** Key-level values, as stored: 0 and `0s` mean "the domain's setting applies". */
export const presentMetadata = (metadata: KvKeyMetadata) => ({
  casRequired: metadata.casRequired,
  createdAt: formatMicros(metadata.createdAt),
  updatedAt: formatMicros(metadata.updatedAt),
  currentVersion: metadata.currentVersion,
  oldestVersion: metadata.oldestVersion,
  maxVersions: metadata.maxVersions,
  deactivateVersionAfter: formatDurationSeconds(metadata.deleteVersionAfterSeconds),
  customMetadata: metadata.customMetadata ?? {},
});

export const presentSecret = (metadata: KvKeyMetadata) => ({ path: metadata.key, metadata: presentMetadata(metadata) });

/** A domain whose deletion timers were disabled through Vault (`-1s`) shows `-1s` here too. */
export const presentSettings = (settings: KvSettings) => ({
  casRequired: settings.casRequired,
  deactivateVersionAfter: formatDurationSeconds(settings.deleteVersionAfterSeconds),
  maxVersions: settings.maxVersions,
});
