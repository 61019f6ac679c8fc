/** A key-encryption key's row, as the root-key migration sees it. */
export interface RootWrappedKek {
  id: string;
  projectId: string;
  region: string;
  wrappedKey: Uint8Array;
}

/** A customer-managed key version's row, with its key's scope (part of its AAD). */
export interface RootWrappedKeyVersion {
  id: string;
  keyId: string;
  version: number;
  projectId: string;
  region: string;
  wrappedMaterial: Uint8Array;
}

/**
 * Everything the root key wraps directly, for moving it from one root-key protector to
 * another. Each replace is a compare-and-set on the wrapped bytes, so two processes
 * migrating at once re-wrap every value once, and a value changed meanwhile is left alone.
 */
export interface RootStore {
  listKeks(): Promise<RootWrappedKek[]>;
  replaceKek(id: string, expected: Uint8Array, next: Uint8Array): Promise<boolean>;
  listKeyVersions(): Promise<RootWrappedKeyVersion[]>;
  replaceKeyVersion(id: string, expected: Uint8Array, next: Uint8Array): Promise<boolean>;
  /** A store-wide value (coffer_meta): the root-key check value, the derivation secret. */
  getMeta(name: RootMetaName): Promise<Uint8Array | null>;
  putMetaIfAbsent(name: RootMetaName, value: Uint8Array): Promise<void>;
  replaceMeta(name: RootMetaName, expected: Uint8Array, next: Uint8Array): Promise<boolean>;
}

export type RootMetaName = 'root_key_check' | 'root_derivation_secret';
