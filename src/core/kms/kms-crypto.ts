import { hkdfSync } from 'node:crypto';
import { IntegrityError, KEY_BYTES, open, seal, type RootKey } from '../../crypto/index.js';

/**
 * The envelope layers a customer-managed key adds. Each AAD names its layer and the
 * row it belongs to, so material or ciphertext moved elsewhere fails to authenticate.
 * Changing any of these strings makes stored data unreadable: add a new version instead.
 */
const encode = (parts: readonly string[]): Buffer => Buffer.from(parts.join('\u0000'), 'utf8');

/** A key version's material, wrapped by the root key. */
export const keyMaterialAad = (keyId: string, version: number, projectId: string, region: string): Buffer =>
  encode(['coffer/kms-key/v1', keyId, String(version), projectId, region]);

/** A secret version's data key, wrapped by a customer key version. */
export const secretDataKeyAad = (keyId: string, keyVersionId: string, secretId: string, revision: number, dekId: string): Buffer =>
  encode(['coffer/kms-dek/v1', keyId, keyVersionId, secretId, String(revision), dekId]);

/** An `encrypt` call's ciphertext; the caller's associated data is bound in base64 so no byte of it can shift a boundary. */
const encryptAad = (keyId: string, version: number, associatedData: Uint8Array | null): Buffer =>
  encode(['coffer/kms-encrypt/v1', keyId, String(version), associatedData === null ? '-' : `+${Buffer.from(associatedData).toString('base64')}`]);

export const wrapMaterial = (rootKey: RootKey, material: Uint8Array, aad: Uint8Array): Buffer => rootKey.wrap(material, aad);
export const unwrapMaterial = (rootKey: RootKey, wrapped: Uint8Array, aad: Uint8Array): Buffer => rootKey.unwrap(wrapped, aad);

/**
 * An `encrypt` ciphertext: [0x4b 'K'][4-byte big-endian key version][AES-256-GCM seal].
 * The version travels in clear so decryption picks the right material after rotations;
 * the key id does not, it is bound through the AAD instead.
 */
const CIPHERTEXT_TAG = 0x4b;
const HEADER_BYTES = 5;

export const encryptWithVersion = (material: Uint8Array, keyId: string, version: number, plaintext: Uint8Array, associatedData: Uint8Array | null): Buffer => {
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = CIPHERTEXT_TAG;
  header.writeUInt32BE(version, 1);
  return Buffer.concat([header, seal(material, plaintext, encryptAad(keyId, version, associatedData))]);
};

/** The key version a ciphertext names, or null when it is not one of ours at all. */
export const versionOfCiphertext = (ciphertext: Uint8Array): number | null => {
  if (ciphertext.length <= HEADER_BYTES || ciphertext[0] !== CIPHERTEXT_TAG) {
    return null;
  }
  const version = Buffer.from(ciphertext.buffer, ciphertext.byteOffset, ciphertext.byteLength).readUInt32BE(1);
  return version > 0 ? version : null;
};

/** Throws IntegrityError unless the key, its version, the associated data and the bytes all match. */
export const decryptWithVersion = (material: Uint8Array, keyId: string, version: number, ciphertext: Uint8Array, associatedData: Uint8Array | null): Buffer =>
  open(material, ciphertext.subarray(HEADER_BYTES), encryptAad(keyId, version, associatedData));

/**
 * Imported material becomes the key as given, or, with a salt, the HKDF-SHA256 of it:
 * the salt spreads low-entropy material over the whole key.
 */
export const materialFromImport = (material: Uint8Array, salt: Uint8Array | null): Buffer => {
  if (material.length !== KEY_BYTES) {
    throw new RangeError(`key material must be ${KEY_BYTES} bytes`);
  }
  return salt === null ? Buffer.from(material) : Buffer.from(hkdfSync('sha256', material, salt, 'coffer/kms-import/v1', KEY_BYTES));
};

export { IntegrityError };
