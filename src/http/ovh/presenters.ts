import type { KvData, KvKeyMetadata, KvSettings, KvVersionInfo } from '../../core/kv/index.js';
import { formatMicros } from '../../shared/clock.js';
import { formatDurationSeconds } from '../go-duration.js';

const time = (micros: number | null): string | null => (micros === null ? null : formatMicros(micros));

const STATE = { active: 'active', deactivated: 'deactivated', destroyed: 'deleted' } as const;

export const presentVersion = (version: KvVersionInfo, data?: KvData) => ({
  id: version.version,
  state: STATE[version.state],
  createdAt: time(version.createdAt),
  deactivatedAt: time(version.deletionTime),
  ...(data === undefined ? {} : { data }),
});

export const presentMetadata = (metadata: KvKeyMetadata) => ({
  casRequired: metadata.casRequired,
  createdAt: time(metadata.createdAt),
  updatedAt: time(metadata.updatedAt),
  currentVersion: metadata.currentVersion,
  oldestVersion: metadata.oldestVersion,
  maxVersions: metadata.maxVersions,
  deactivateVersionAfter: formatDurationSeconds(metadata.deleteVersionAfterSeconds),
  customMetadata: metadata.customMetadata ?? {},
});

export const presentSettings = (settings: KvSettings) => ({
  casRequired: settings.casRequired,
  deactivateVersionAfter: formatDurationSeconds(Math.max(0, settings.deleteVersionAfterSeconds)),
  maxVersions: settings.maxVersions,
});
