import { randomBytes } from 'node:crypto';
import { IntegrityError, type RootKeyProtector } from '../crypto/index.js';
import { HsmIntegrityError, type HsmKey } from './pkcs11-token.js';

/**
 * Blob format of the HSM protector:
 *   [0x48 'H' format byte][12-byte IV][AES-256-GCM ciphertext][16-byte tag]
 * The same layout and the same AADs as the file key's format 0x01, but the GCM runs in
 * the token (CKM_AES_GCM) under a key that never leaves it. The distinct format byte is
 * what tells, row by row, which protector wrapped a value.
 */
export const HSM_FORMAT = 0x48;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export const hsmRootProtector = (key: HsmKey): RootKeyProtector => ({
  kind: 'hsm',
  description: `the HSM (${key.description})`,
  wrap: (plaintext, aad) => {
    const iv = randomBytes(IV_BYTES);
    return Buffer.concat([Buffer.of(HSM_FORMAT), iv, key.encrypt(iv, aad, plaintext)]);
  },
  unwrap: (blob, aad) => {
    if (blob.length < 1 + IV_BYTES + TAG_BYTES || blob[0] !== HSM_FORMAT) {
      throw new IntegrityError('not a ciphertext of the HSM root key');
    }
    try {
      return key.decrypt(Buffer.from(blob.subarray(1, 1 + IV_BYTES)), aad, blob.subarray(1 + IV_BYTES));
    } catch (error) {
      if (error instanceof HsmIntegrityError) {
        throw new IntegrityError('ciphertext failed authentication in the HSM');
      }
      throw error;
    }
  },
  owns: (blob) => blob[0] === HSM_FORMAT,
});
