import { MICROS_PER_SECOND } from '../../shared/clock.js';
import { AppError, type FieldProblem } from '../../shared/errors.js';
import type { EphemeralProperties, SecretKvMetadata } from '../secrets/index.js';
import type { KvMetadataChanges, KvSettings } from './kv-model.js';

export const DEFAULT_SETTINGS: KvSettings = { maxVersions: 0, casRequired: false, deleteVersionAfterSeconds: 0 };
export const EMPTY_KV_METADATA: SecretKvMetadata = {
  maxVersions: 0,
  casRequired: false,
  deleteVersionAfterSeconds: 0,
  customMetadata: null,
  oldestVersion: 0,
};

const DEFAULT_MAX_VERSIONS = 10;
const MAX_CUSTOM_METADATA_KEYS = 64;
const MAX_CUSTOM_KEY_BYTES = 128;
const MAX_CUSTOM_VALUE_BYTES = 512;
/** Versions are uint32 in Vault; a larger setting would only overflow there. */
export const MAX_VERSIONS_LIMIT = 2 ** 32 - 1;

/**
 * The larger of the key's and the domain's limit, or 10. Vault lets a key only raise a
 * domain limit, never lower it (its docs say otherwise; its code does this).
 */
export const effectiveMaxVersions = (key: SecretKvMetadata | null, settings: KvSettings): number => {
  const larger = Math.max(key?.maxVersions ?? 0, settings.maxVersions);
  return larger > 0 ? larger : DEFAULT_MAX_VERSIONS;
};

/** The smallest non-zero of the key's and the domain's delays; none when the domain disables them. */
export const versionExpiry = (key: SecretKvMetadata | null, settings: KvSettings, from: number): EphemeralProperties | null => {
  if (settings.deleteVersionAfterSeconds < 0) {
    return null;
  }
  const delays = [key?.deleteVersionAfterSeconds ?? 0, settings.deleteVersionAfterSeconds].filter((delay) => delay > 0);
  if (delays.length === 0) {
    return null;
  }
  return { expiresAt: from + Math.min(...delays) * MICROS_PER_SECOND, expiresOnceAccessed: null, action: 'disable' };
};

const printable = (text: string): boolean => !/[\p{Cc}\p{Cn}\p{Co}\p{Cs}]/u.test(text);
const quoted = (text: string): string => JSON.stringify(text);

/** Vault's limits and messages, every problem at once, so the caller can fix them in one go. */
export const validateCustomMetadata = (metadata: Record<string, string | null>): void => {
  const entries = Object.entries(metadata);
  const problems: FieldProblem[] = [];
  const problem = (message: string) => problems.push({ field: 'custom_metadata', reason: 'constraint', message });
  if (entries.length > MAX_CUSTOM_METADATA_KEYS) {
    problem(`payload must contain at most ${MAX_CUSTOM_METADATA_KEYS} keys, provided ${entries.length}`);
  } else {
    for (const [key, value] of entries) {
      const keyBytes = Buffer.byteLength(key);
      if (keyBytes === 0 || keyBytes > MAX_CUSTOM_KEY_BYTES) {
        problem(`length of key ${quoted(key)} is ${keyBytes} but must be 0 < len(key) <= ${MAX_CUSTOM_KEY_BYTES}`);
      }
      if (!printable(key)) {
        problem(`key ${quoted(key)} (${key}) contains unprintable characters`);
      }
      if (value === null) {
        continue;
      }
      const valueBytes = Buffer.byteLength(value);
      if (valueBytes === 0 || valueBytes > MAX_CUSTOM_VALUE_BYTES) {
        problem(`length of value for key ${quoted(key)} is ${valueBytes} but must be 0 < len(value) <= ${MAX_CUSTOM_VALUE_BYTES}`);
      }
      if (!printable(value)) {
        problem(`value for key ${quoted(key)} contains unprintable characters`);
      }
    }
  }
  if (problems.length > 0) {
    throw new AppError('invalid_argument', 'custom_metadata validation failed', { problems });
  }
};

const validateNumbers = (changes: KvMetadataChanges): void => {
  const { maxVersions, deleteVersionAfterSeconds } = changes;
  if (typeof maxVersions === 'number' && (!Number.isInteger(maxVersions) || maxVersions < 0 || maxVersions > MAX_VERSIONS_LIMIT)) {
    throw new AppError('invalid_argument', 'max_versions must be a non-negative integer', {
      problems: [{ field: 'max_versions', reason: 'constraint', message: 'max_versions must be a non-negative integer' }],
    });
  }
  if (typeof deleteVersionAfterSeconds === 'number' && (!Number.isInteger(deleteVersionAfterSeconds) || deleteVersionAfterSeconds < 0)) {
    throw new AppError('invalid_argument', `cannot provide negative value '${deleteVersionAfterSeconds}'`, {
      problems: [{ field: 'delete_version_after', reason: 'constraint', message: `cannot provide negative value '${deleteVersionAfterSeconds}'` }],
    });
  }
};

/** Checks a change set before anything is read or written. */
export const validateMetadataChanges = (changes: KvMetadataChanges): void => {
  validateNumbers(changes);
  if (changes.customMetadata) {
    validateCustomMetadata(changes.customMetadata);
  }
  if (changes.customMetadataPatch) {
    validateCustomMetadata(changes.customMetadataPatch);
  }
};

const emptyToNull = (map: Record<string, string>): Record<string, string> | null => (Object.keys(map).length === 0 ? null : map);

/** Applies validated changes; only the fields present change, and `null` resets one. */
export const applyMetadataChanges = (current: SecretKvMetadata | null, changes: KvMetadataChanges): SecretKvMetadata => {
  const base = current ?? EMPTY_KV_METADATA;
  let customMetadata = base.customMetadata;
  if (changes.customMetadata !== undefined) {
    customMetadata = changes.customMetadata === null ? null : emptyToNull({ ...changes.customMetadata });
  }
  if (changes.customMetadataPatch) {
    const merged = new Map(Object.entries(customMetadata ?? {}));
    for (const [key, value] of Object.entries(changes.customMetadataPatch)) {
      if (value === null) {
        merged.delete(key);
      } else {
        merged.set(key, value);
      }
    }
    customMetadata = emptyToNull(Object.fromEntries(merged));
  }
  return {
    maxVersions: changes.maxVersions === undefined ? base.maxVersions : (changes.maxVersions ?? 0),
    casRequired: changes.casRequired === undefined ? base.casRequired : (changes.casRequired ?? false),
    deleteVersionAfterSeconds:
      changes.deleteVersionAfterSeconds === undefined ? base.deleteVersionAfterSeconds : (changes.deleteVersionAfterSeconds ?? 0),
    customMetadata,
    oldestVersion: base.oldestVersion,
  };
};

/** True when a change set names none of the four metadata fields (Vault then does nothing). */
export const isEmptyChange = (changes: KvMetadataChanges): boolean =>
  changes.maxVersions === undefined &&
  changes.casRequired === undefined &&
  changes.deleteVersionAfterSeconds === undefined &&
  changes.customMetadata === undefined &&
  changes.customMetadataPatch === undefined;
