import { isUtf8 } from 'node:buffer';
import { isExpired, type Secret, type SecretVersion } from '../secrets/index.js';
import { keyOf } from './kv-keys.js';
import type { KvData, KvKeyMetadata, KvVersionInfo } from './kv-model.js';
import { isPlainObject } from './merge-patch.js';

/**
 * A version in KV terms, computed at read time: an expiry that has passed reads as a
 * soft delete even before the background job records it.
 */
export const versionInfo = (version: SecretVersion, now: number): KvVersionInfo => {
  // One object shape for every state keeps this hot-path function monomorphic.
  const { revision, createdAt } = version;
  switch (version.status) {
    case 'deleted':
    case 'scheduled_for_deletion':
      return { version: revision, createdAt, deletionTime: version.disabledAt, destroyed: true, state: 'destroyed' };
    case 'disabled':
      return { version: revision, createdAt, deletionTime: version.disabledAt ?? version.updatedAt, destroyed: false, state: 'deactivated' };
    case 'enabled':
      return {
        version: revision,
        createdAt,
        deletionTime: version.ephemeral?.expiresAt ?? null,
        destroyed: false,
        state: isExpired(version.ephemeral, now) ? 'deactivated' : 'active',
      };
  }
};

/** `versions` must be every version the secret still has. */
export const keyMetadata = (secret: Secret, versions: readonly SecretVersion[], now: number): KvKeyMetadata => {
  const sorted = [...versions].sort((a, b) => a.revision - b.revision);
  const newest = sorted.at(-1);
  const kv = secret.kvMetadata;
  return {
    key: keyOf(secret),
    currentVersion: secret.versionCount,
    oldestVersion: kv?.oldestVersion ?? 0,
    createdAt: secret.createdAt,
    updatedAt: newest?.createdAt ?? secret.createdAt,
    maxVersions: kv?.maxVersions ?? 0,
    casRequired: kv?.casRequired ?? false,
    deleteVersionAfterSeconds: kv?.deleteVersionAfterSeconds ?? 0,
    customMetadata: kv?.customMetadata ?? null,
    versions: sorted.map((version) => versionInfo(version, now)),
  };
};

export const encodeData = (data: KvData): Buffer => Buffer.from(JSON.stringify(data), 'utf8');

/**
 * KV clients only understand JSON objects. A payload that is not one (an `opaque` or
 * `certificate` secret written through another API) reads as `{"value": <text>}`, or
 * as base64 with `"encoding": "base64"` when it is not UTF-8.
 */
export const decodeData = (bytes: Buffer): KvData => {
  if (!isUtf8(bytes)) {
    return { value: bytes.toString('base64'), encoding: 'base64' };
  }
  const text = bytes.toString('utf8');
  try {
    const parsed: unknown = JSON.parse(text);
    if (isPlainObject(parsed)) {
      return parsed;
    }
  } catch {
    // Not JSON: the text itself is the value.
  }
  return { value: text };
};
