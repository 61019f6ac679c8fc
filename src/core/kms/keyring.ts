import { generateKey, type RootKey } from '../../crypto/index.js';
import { AppError, preconditionFailed } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { NO_CACHE_METER, type CacheMeter } from '../../shared/metrics.js';
import { keyMaterialAad, unwrapMaterial, wrapMaterial } from './kms-crypto.js';
import type { CustomerKey, KeyVersionRecord } from './kms-model.js';
import type { KmsStore } from './kms-store.js';

/** How a key is named in messages: its name and its id, so an operator can find it either way. */
export const describeKey = (key: Pick<CustomerKey, 'id' | 'name'>): string => (key.name === key.id ? `key ${key.id}` : `key "${key.name}" (${key.id})`);

/** Why a key cannot be used now, in words that say what to do; null when it can. */
export const keyUnusable = (key: CustomerKey, purpose: string): AppError | null => {
  switch (key.state) {
    case 'enabled':
      return null;
    case 'disabled':
      return preconditionFailed('key_disabled', `${describeKey(key)} is disabled: enable it to ${purpose}`);
    case 'scheduled_for_deletion':
      return preconditionFailed('key_scheduled_for_deletion', `${describeKey(key)} is scheduled for deletion: restore it to ${purpose}`);
    case 'pending_key_material':
      return preconditionFailed('key_pending_key_material', `${describeKey(key)} has no key material yet: import it to ${purpose}`);
  }
};

/**
 * Unwrapped key material, cached per version for the hot paths (secret reads, encrypt).
 * The cache holds material only; whether a key may be used is read from the store on
 * every call, so disabling a key takes effect at once on every process.
 */
export const createKeyring = (store: KmsStore, rootKey: RootKey, meter: CacheMeter = NO_CACHE_METER) => {
  const unwrapped = new Map<string, { keyId: string; material: Buffer }>();

  const unwrap = (key: CustomerKey, record: KeyVersionRecord): Buffer => {
    const cached = unwrapped.get(record.id);
    if (cached) {
      meter.hit();
      return cached.material;
    }
    meter.miss();
    if (record.keyId !== key.id) {
      throw new AppError('integrity', `a version of another key was found for ${key.id}`);
    }
    const material = unwrapMaterial(rootKey, record.wrappedMaterial, keyMaterialAad(key.id, record.version, key.projectId, key.region));
    unwrapped.set(record.id, { keyId: key.id, material });
    return material;
  };

  return {
    /** A new version wrapping fresh material, or the caller's imported material. */
    newVersion(key: CustomerKey, version: number, now: number, material: Uint8Array = generateKey()): KeyVersionRecord {
      return {
        id: newId(),
        keyId: key.id,
        version,
        wrappedMaterial: wrapMaterial(rootKey, material, keyMaterialAad(key.id, version, key.projectId, key.region)),
        createdAt: now,
      };
    },

    /** The material of one version by number; null when the key has no such version. */
    async byNumber(key: CustomerKey, version: number): Promise<{ record: KeyVersionRecord; material: Buffer } | null> {
      const record = await store.getVersion(key.id, version);
      return record ? { record, material: unwrap(key, record) } : null;
    },

    /** The material of the version a secret's data key names; null when that version is gone. */
    async byId(key: CustomerKey, versionId: string): Promise<Buffer | null> {
      const cached = unwrapped.get(versionId);
      if (cached && cached.keyId === key.id) {
        meter.hit();
        return cached.material;
      }
      const record = await store.getVersionById(versionId);
      return record && record.keyId === key.id ? unwrap(key, record) : null;
    },

    /** Drops a purged key's material from memory. */
    forget(keyId: string): void {
      for (const [versionId, entry] of unwrapped) {
        if (entry.keyId === keyId) {
          unwrapped.delete(versionId);
        }
      }
    },
  };
};

export type Keyring = ReturnType<typeof createKeyring>;
