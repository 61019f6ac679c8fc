import { generateKey } from '../../crypto/index.js';
import { MICROS_PER_SECOND } from '../../shared/clock.js';
import { AppError, invalidField, preconditionFailed } from '../../shared/errors.js';
import type { Actor } from '../iam/index.js';
import { decryptWithVersion, encryptWithVersion, IntegrityError, materialFromImport, versionOfCiphertext } from './kms-crypto.js';
import type { KmsContext } from './kms-context.js';
import type { CustomerKey, RewrapProgress } from './kms-model.js';
import { MAX_ASSOCIATED_DATA_BYTES, MAX_CIPHERTEXT_BYTES, MAX_PLAINTEXT_BYTES } from './key-rules.js';
import { describeKey, keyUnusable, type Keyring } from './keyring.js';
import type { KeyChange } from './kms-store.js';
import type { Rewrapper } from './rewrap.js';

const badCiphertext = (key: CustomerKey): AppError =>
  invalidField('ciphertext', 'constraint', `the ciphertext was not made by ${describeKey(key)} with this associated data, or it was altered`);

const assertSize = (field: string, bytes: Uint8Array, min: number, max: number): void => {
  if (bytes.length < min || bytes.length > max) {
    throw invalidField(field, 'constraint', `${field} must be ${min} to ${max} bytes`);
  }
};

const usable = (key: CustomerKey, purpose: string): CustomerKey => {
  const refusal = keyUnusable(key, purpose);
  if (refusal) {
    throw refusal;
  }
  return key;
};

/** The change a rotation makes: a new current version, and the policy's next date moved on. */
export const rotatedKey = (keyring: Keyring, key: CustomerKey, now: number): KeyChange => {
  const version = key.currentVersion + 1;
  const next: CustomerKey = {
    ...key,
    currentVersion: version,
    rotatedAt: now,
    updatedAt: now,
    rotationPolicy: key.rotationPolicy ? { ...key.rotationPolicy, nextRotationAt: now + key.rotationPolicy.periodSeconds * MICROS_PER_SECOND } : null,
  };
  return { key: next, newVersion: keyring.newVersion(next, version, now) };
};

/** Cryptographic operations with a key, rotation and import of material. */
export const createKeyOperations = (ctx: KmsContext, rewrapper: Rewrapper) => {
  const { store, keyring, clock } = ctx;

  const currentMaterial = async (key: CustomerKey) => {
    const current = await keyring.byNumber(key, key.currentVersion);
    if (!current) {
      throw new AppError('integrity', `${describeKey(key)} has lost its current version`);
    }
    return current.material;
  };

  const encryptUnder = async (key: CustomerKey, plaintext: Uint8Array, associatedData: Uint8Array | null): Promise<Buffer> =>
    encryptWithVersion(await currentMaterial(key), key.id, key.currentVersion, plaintext, associatedData);

  return {
    /** A new version becomes current; secrets' data keys move to it in the background. */
    async rotate(actor: Actor, region: string, id: string): Promise<CustomerKey> {
      await ctx.loadKey(actor, region, id, 'keys:key:update');
      const now = clock.nowMicros();
      const rotated = await store.updateKey(id, (key) => {
        if (key.state !== 'enabled' && key.state !== 'disabled') {
          throw preconditionFailed(`key_${key.state}`, `${describeKey(key)} is ${key.state.replaceAll('_', ' ')} and cannot be rotated`);
        }
        if (key.origin === 'external') {
          throw preconditionFailed('key_origin_external', `${describeKey(key)} holds imported material: Coffer cannot make its next version`);
        }
        return rotatedKey(keyring, key, now);
      });
      rewrapper.kick(rotated.id);
      return rotated;
    },

    async importMaterial(actor: Actor, region: string, id: string, material: Uint8Array, salt: Uint8Array | null): Promise<CustomerKey> {
      await ctx.loadKey(actor, region, id, 'keys:key:update');
      if (material.length !== 32) {
        throw invalidField('key_material', 'constraint', 'key_material must be 32 bytes (AES-256)');
      }
      if (salt !== null) {
        assertSize('salt', salt, 1, 1024);
      }
      const derived = materialFromImport(material, salt);
      const now = clock.nowMicros();
      return store.updateKey(id, (key) => {
        if (key.origin !== 'external' || key.state !== 'pending_key_material') {
          throw preconditionFailed('key_not_pending_key_material', `${describeKey(key)} does not wait for imported material`);
        }
        const next: CustomerKey = { ...key, state: 'enabled', currentVersion: 1, updatedAt: now };
        return { key: next, newVersion: keyring.newVersion(next, 1, now, derived) };
      });
    },

    async encrypt(actor: Actor, region: string, id: string, plaintext: Uint8Array, associatedData: Uint8Array | null): Promise<{ key: CustomerKey; ciphertext: Buffer }> {
      const key = usable(await ctx.loadKey(actor, region, id, 'keys:key:encrypt'), 'encrypt with it');
      assertSize('plaintext', plaintext, 1, MAX_PLAINTEXT_BYTES);
      if (associatedData !== null) {
        assertSize('associated_data', associatedData, 0, MAX_ASSOCIATED_DATA_BYTES);
      }
      return { key, ciphertext: await encryptUnder(key, plaintext, associatedData) };
    },

    /**
     * Decrypts with whichever version made the ciphertext; when that was not the current
     * one, also returns the data encrypted under the current version, as Scaleway does.
     */
    async decrypt(actor: Actor, region: string, id: string, ciphertext: Uint8Array, associatedData: Uint8Array | null): Promise<{ key: CustomerKey; plaintext: Buffer; reencrypted: Buffer | null }> {
      const key = usable(await ctx.loadKey(actor, region, id, 'keys:key:decrypt'), 'decrypt with it');
      assertSize('ciphertext', ciphertext, 1, MAX_CIPHERTEXT_BYTES);
      const version = versionOfCiphertext(ciphertext);
      const found = version === null || version > key.currentVersion ? null : await keyring.byNumber(key, version);
      if (version === null || !found) {
        throw badCiphertext(key);
      }
      let plaintext: Buffer;
      try {
        plaintext = decryptWithVersion(found.material, key.id, version, ciphertext, associatedData);
      } catch (error) {
        if (error instanceof IntegrityError) {
          throw badCiphertext(key);
        }
        throw error;
      }
      const reencrypted = version === key.currentVersion ? null : await encryptUnder(key, plaintext, associatedData);
      return { key, plaintext, reencrypted };
    },

    /** A fresh AES-256 data key, encrypted under the key; its plaintext only when asked for. */
    async generateDataKey(actor: Actor, region: string, id: string, algorithm: string | null): Promise<{ key: CustomerKey; ciphertext: Buffer; plaintext: Buffer; createdAt: number }> {
      const key = usable(await ctx.loadKey(actor, region, id, 'keys:key:encrypt'), 'generate data keys with it');
      if (algorithm !== null && algorithm !== 'aes_256_gcm') {
        throw invalidField('algorithm', 'constraint', 'algorithm must be aes_256_gcm');
      }
      const plaintext = generateKey();
      return { key, plaintext, ciphertext: await encryptUnder(key, plaintext, null), createdAt: clock.nowMicros() };
    },

    async rewrapProgress(actor: Actor, region: string, id: string): Promise<RewrapProgress> {
      return rewrapper.progress(await ctx.loadKey(actor, region, id, 'keys:key:read'));
    },
  };
};

export type KeyOperations = ReturnType<typeof createKeyOperations>;
