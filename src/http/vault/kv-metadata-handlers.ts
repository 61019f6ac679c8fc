import type { KvMetadataChanges, KvSettings } from '../../core/kv/index.js';
import { formatDurationSeconds } from '../go-duration.js';
import { keyMetadata, sendData, sendEmpty, sendErrors } from './envelope.js';
import { unknownFieldsWarning, VaultRequestError, weakBool, weakDuration, weakInt, weakStringMap, type RequestData } from './fields.js';
import { missingPath, requireMergePatch, type KvCall } from './kv-call.js';

// OVHcloud's guide spells the delay `deactivate_version_after`; both are accepted.
const DELAY_FIELDS = ['delete_version_after', 'deactivate_version_after'] as const;
const METADATA_FIELDS = ['max_versions', 'cas_required', 'custom_metadata', ...DELAY_FIELDS];
const CONFIG_FIELDS = ['max_versions', 'cas_required', ...DELAY_FIELDS];
const CAS_OVERRIDDEN = '"cas_required" set to false, but is mandated by backend config. This value will be ignored.';

const delayOf = (data: RequestData): { field: string; value: unknown } | null => {
  const field = DELAY_FIELDS.find((name) => data[name] !== undefined);
  return field ? { field, value: data[field] } : null;
};

const nonNegativeDelay = (field: string, value: unknown): number => {
  const seconds = weakDuration(field, value);
  if (seconds < 0) {
    throw new VaultRequestError(`Field validation failed: error converting input for field "${field}": cannot provide negative value '${seconds}'`);
  }
  return seconds;
};

/** POST/PUT: the fields given replace; `custom_metadata` replaces the whole map. */
const replacement = (data: RequestData): KvMetadataChanges => {
  const changes: KvMetadataChanges = {};
  if (data.max_versions !== undefined) {
    changes.maxVersions = weakInt('max_versions', data.max_versions);
  }
  if (data.cas_required !== undefined) {
    changes.casRequired = weakBool('cas_required', data.cas_required);
  }
  const delay = delayOf(data);
  if (delay) {
    changes.deleteVersionAfterSeconds = nonNegativeDelay(delay.field, delay.value);
  }
  if (data.custom_metadata !== undefined) {
    changes.customMetadata = weakStringMap('custom_metadata', data.custom_metadata, false) as Record<string, string>;
  }
  return changes;
};

/** PATCH: `null` resets a field; `custom_metadata` merges key by key, `null` removing one. */
const patchOf = (data: RequestData): KvMetadataChanges => {
  const changes: KvMetadataChanges = {};
  if ('max_versions' in data) {
    changes.maxVersions = data.max_versions === null ? null : weakInt('max_versions', data.max_versions);
  }
  if ('cas_required' in data) {
    changes.casRequired = data.cas_required === null ? null : weakBool('cas_required', data.cas_required);
  }
  const delayField = DELAY_FIELDS.find((name) => name in data);
  if (delayField) {
    const value = data[delayField];
    changes.deleteVersionAfterSeconds = value === null ? null : nonNegativeDelay(delayField, value);
  }
  if ('custom_metadata' in data) {
    if (data.custom_metadata === null) {
      changes.customMetadata = null;
    } else {
      changes.customMetadataPatch = weakStringMap('custom_metadata', data.custom_metadata, true);
    }
  }
  return changes;
};

/** Vault answers 200 with a warning when the mount's CAS rule overrides the key's, else 204. */
const answerMetadataChange = async (call: KvCall, changes: KvMetadataChanges) => {
  if (changes.casRequired === false && (await call.services.kv.getSettings(call.actor, call.scope)).casRequired) {
    return sendData(call.reply, null, [CAS_OVERRIDDEN, ...unknownFieldsWarning(call.data, METADATA_FIELDS)]);
  }
  return sendEmpty(call.reply);
};

export const readMetadata = async (call: KvCall) => {
  if (call.path === '') {
    return sendErrors(call.reply, 404, []);
  }
  const metadata = await call.services.kv.getMetadata(call.actor, call.scope, call.path);
  return metadata ? sendData(call.reply, keyMetadata(metadata), unknownFieldsWarning(call.data, METADATA_FIELDS)) : sendErrors(call.reply, 404, []);
};

export const listMetadata = async (call: KvCall) => {
  const keys = await call.services.kv.listChildren(call.actor, call.scope, call.path);
  return keys.length === 0 ? sendErrors(call.reply, 404, []) : sendData(call.reply, { keys }, unknownFieldsWarning(call.data, METADATA_FIELDS));
};

export const writeMetadata = async (call: KvCall) => {
  if (call.path === '') {
    throw missingPath();
  }
  const changes = replacement(call.data);
  if (Object.keys(changes).length === 0) {
    return sendEmpty(call.reply);
  }
  await call.services.kv.writeMetadata(call.actor, call.scope, call.path, changes);
  return answerMetadataChange(call, changes);
};

export const patchMetadata = async (call: KvCall) => {
  requireMergePatch(call);
  if (call.path === '') {
    throw missingPath();
  }
  const changes = patchOf(call.data);
  const patched = await call.services.kv.patchMetadata(call.actor, call.scope, call.path, changes);
  return patched ? answerMetadataChange(call, changes) : sendEmpty(call.reply, 404);
};

export const deleteMetadata = async (call: KvCall) => {
  if (call.path === '') {
    throw missingPath();
  }
  await call.services.kv.deleteMetadata(call.actor, call.scope, call.path);
  return sendEmpty(call.reply);
};

export const presentConfig = (settings: KvSettings) => ({
  cas_required: settings.casRequired,
  delete_version_after: formatDurationSeconds(settings.deleteVersionAfterSeconds),
  max_versions: settings.maxVersions,
});

export const readConfig = async (call: KvCall) =>
  sendData(call.reply, presentConfig(await call.services.kv.getSettings(call.actor, call.scope)), unknownFieldsWarning(call.data, CONFIG_FIELDS));

/** Only the fields given change; a negative delay disables deletion delays for the whole mount. */
export const writeConfig = async (call: KvCall) => {
  const changes: Partial<KvSettings> = {};
  if (call.data.max_versions !== undefined) {
    const maxVersions = weakInt('max_versions', call.data.max_versions);
    if (maxVersions < 0) {
      throw new VaultRequestError(`Field validation failed: error converting input for field "max_versions": cannot parse '${maxVersions}' as uint32`);
    }
    changes.maxVersions = maxVersions;
  }
  if (call.data.cas_required !== undefined) {
    changes.casRequired = weakBool('cas_required', call.data.cas_required);
  }
  const delay = delayOf(call.data);
  if (delay) {
    const seconds = weakDuration(delay.field, delay.value);
    changes.deleteVersionAfterSeconds = seconds < 0 ? -1 : seconds;
  }
  if (Object.keys(changes).length > 0) {
    await call.services.kv.updateSettings(call.actor, call.scope, changes);
  }
  return sendEmpty(call.reply);
};
