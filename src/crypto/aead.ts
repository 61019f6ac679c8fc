import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Ciphertext format, version 1:
 *   [0x01 format byte][12-byte IV][AES-256-GCM ciphertext][16-byte tag]
 * The format byte leads so a later format can be told apart without guessing.
 * The caller's additional authenticated data (AAD) binds the ciphertext to the row
 * it belongs to; it is not stored, it is rebuilt from the row's identity on open.
 */
export const FORMAT_V1 = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

/** Thrown when a ciphertext does not authenticate: wrong key, wrong row, or tampering. */
export class IntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntegrityError';
  }
}

const assertKey = (key: Uint8Array): void => {
  if (key.length !== KEY_BYTES) {
    throw new RangeError(`AES-256 keys are ${KEY_BYTES} bytes, got ${key.length}`);
  }
};

/** Encrypts `plaintext` under `key`, binding `aad`. */
export const seal = (key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Buffer => {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(FORMAT_V1), iv, body, cipher.getAuthTag()]);
};

/** Decrypts a `seal` output; throws IntegrityError unless key, AAD and bytes all match. */
export const open = (key: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Buffer => {
  assertKey(key);
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES) {
    throw new IntegrityError('ciphertext is truncated');
  }
  if (sealed[0] !== FORMAT_V1) {
    throw new IntegrityError(`unknown ciphertext format ${String(sealed[0])}`);
  }
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const body = sealed.subarray(1 + IV_BYTES, sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new IntegrityError('ciphertext failed authentication');
  }
};

export const generateKey = (): Buffer => randomBytes(KEY_BYTES);
