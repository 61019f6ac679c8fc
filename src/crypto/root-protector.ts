import { FORMAT_V1, IntegrityError, open, seal } from './aead.js';
import { deriveKey } from './derive.js';

/** Where the root key lives: a 32-byte file (or COFFER_ROOT_KEY), or an AES key inside a PKCS#11 token. */
export type RootProtectorKind = 'file' | 'hsm';

/**
 * What holds the root key and wraps with it. Each protector marks its blobs with its own
 * leading format byte, so a store can say, row by row, which protector wrapped what; that
 * is what lets a migration from one to the other run while the server keeps reading.
 * Calls are synchronous: PKCS#11 is a blocking C API, and every caller caches what it
 * unwraps (KEKs, customer key versions), so the HSM is asked only on a cache miss.
 */
export interface RootKeyProtector {
  readonly kind: RootProtectorKind;
  /** A human-readable name for messages; never key material or a PIN. */
  readonly description: string;
  wrap(plaintext: Uint8Array, aad: Uint8Array): Buffer;
  /** Throws IntegrityError unless the blob was wrapped by this very key for this AAD. */
  unwrap(blob: Uint8Array, aad: Uint8Array): Buffer;
  /** Whether the blob is in this protector's format (not whether it opens). */
  owns(blob: Uint8Array): boolean;
}

/** The file or environment root key: the original format, byte for byte. */
export const fileRootProtector = (key: Uint8Array, description = 'the root key file'): RootKeyProtector => ({
  kind: 'file',
  description,
  wrap: (plaintext, aad) => seal(key, plaintext, aad),
  unwrap: (blob, aad) => open(key, blob, aad),
  owns: (blob) => blob[0] === FORMAT_V1,
});

/**
 * The root key as the core sees it: wraps under the primary protector, unwraps with
 * whichever configured protector owns the blob (the previous one only while a migration
 * from it is under way), and derives purpose keys from the derivation secret.
 */
export interface RootKey {
  readonly primary: RootKeyProtector;
  wrap(plaintext: Uint8Array, aad: Uint8Array): Buffer;
  unwrap(blob: Uint8Array, aad: Uint8Array): Buffer;
  /** Whether the blob is wrapped by the primary protector already. */
  isCurrent(blob: Uint8Array): boolean;
  /** A 32-byte key for one purpose; the label keeps purposes apart. */
  deriveKey(label: string): Buffer;
}

export const createRootKey = (protectors: readonly RootKeyProtector[], derivationSecret: Uint8Array): RootKey => {
  const [primary] = protectors;
  if (!primary) {
    throw new Error('a root key needs at least one protector');
  }
  const ownerOf = (blob: Uint8Array): RootKeyProtector => {
    const owner = protectors.find((protector) => protector.owns(blob));
    if (!owner) {
      throw new IntegrityError(`no configured root key protector reads format ${String(blob[0])}`);
    }
    return owner;
  };
  return {
    primary,
    wrap: (plaintext, aad) => primary.wrap(plaintext, aad),
    unwrap: (blob, aad) => ownerOf(blob).unwrap(blob, aad),
    isCurrent: (blob) => primary.owns(blob),
    // With the file key itself as the secret, this is what `deriveKey(rootKey, label)` always gave.
    deriveKey: (label) => deriveKey(derivationSecret, label),
  };
};
