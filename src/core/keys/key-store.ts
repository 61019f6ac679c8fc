/**
 * A key-encryption key (KEK) of one (project, region), stored wrapped by the root key.
 * Generations grow by one on each rotation; the highest is the active one, older ones
 * stay until no data key is wrapped by them, so old ciphertexts keep decrypting.
 */
export interface KeyEncryptionKeyRecord {
  id: string;
  projectId: string;
  region: string;
  generation: number;
  wrappedKey: Uint8Array;
  createdAt: number;
}

/** A version's wrapped data key, as rotation sees it. */
export interface WrappedDataKeyRecord {
  secretId: string;
  revision: number;
  dekId: string;
  kekId: string;
  wrappedDek: Uint8Array;
}

export interface KeyScope {
  projectId: string;
  region: string;
  /** A customer-managed key chosen by the secret; null or absent: the scope's KEK. */
  keyId?: string | null;
}

/** Persistence of key-encryption keys and re-wrapping of data keys. */
export interface KeyStore {
  getActiveKek(projectId: string, region: string): Promise<KeyEncryptionKeyRecord | null>;
  getKek(id: string): Promise<KeyEncryptionKeyRecord | null>;
  /** Throws `already_exists` when that (project, region, generation) exists already. */
  insertKek(record: KeyEncryptionKeyRecord): Promise<void>;
  listKeyScopes(): Promise<KeyScope[]>;
  countDataKeysNotUnder(scope: KeyScope, kekId: string): Promise<number>;
  /** Data keys of the scope wrapped by any KEK other than `kekId`, a batch at a time. */
  listDataKeysNotUnder(scope: KeyScope, kekId: string, limit: number): Promise<WrappedDataKeyRecord[]>;
  /** The root-key check value: a random value sealed under the root key when the store was created. */
  getRootKeyCheck(): Promise<Uint8Array | null>;
  /** Stores the check value unless one exists already (another process may have been first). */
  putRootKeyCheckIfAbsent(value: Uint8Array): Promise<void>;
  /** Replaces a wrapped data key only if it is still under `expectedKekId`; returns whether it did. */
  rewrapDataKey(record: WrappedDataKeyRecord, expectedKekId: string): Promise<boolean>;
}
