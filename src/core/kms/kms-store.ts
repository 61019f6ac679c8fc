import type { Page, PageRequest } from '../../shared/paging.js';
import type { WrappedDataKeyRecord } from '../keys/index.js';
import type { CustomerKey, KeyFilter, KeyOrder, KeyVersionRecord } from './kms-model.js';

/** What a read-modify-write of a key returns: the new row, and a new version to insert with it. */
export interface KeyChange {
  key: CustomerKey;
  newVersion?: KeyVersionRecord;
}

/**
 * Persistence of customer-managed keys. Key material reaches it only wrapped by the
 * root key. Every method is atomic; `mutate` runs inside the transaction with the key
 * row locked, must be synchronous, and may throw an AppError to write nothing.
 */
export interface KmsStore {
  insertKey(key: CustomerKey, firstVersion: KeyVersionRecord | null): Promise<void>;
  getKey(id: string): Promise<CustomerKey | null>;
  /** Several keys at once (listing warnings); unknown ids are left out. */
  getKeys(ids: readonly string[]): Promise<CustomerKey[]>;
  listKeys(filter: KeyFilter, order: KeyOrder, page: PageRequest): Promise<Page<CustomerKey>>;
  /** Throws `not_found` if the key is gone. */
  updateKey(id: string, mutate: (key: CustomerKey) => KeyChange): Promise<CustomerKey>;
  getVersion(keyId: string, version: number): Promise<KeyVersionRecord | null>;
  getVersionById(id: string): Promise<KeyVersionRecord | null>;
  /** Secrets (live or scheduled for deletion) whose data the key protects. */
  countSecretsUsingKey(keyId: string): Promise<number>;
  /** Data keys of the key's secrets still holding data: all of them, and those under `versionId`. */
  countDataKeys(keyId: string, versionId: string): Promise<{ total: number; underVersion: number }>;
  /** Data keys of the key's secrets wrapped by any version but `versionId`, a batch at a time. */
  listDataKeysNotUnder(keyId: string, versionId: string, limit: number): Promise<WrappedDataKeyRecord[]>;
  /** Replaces a wrapped data key only if it is still under `expectedVersionId`; returns whether it did. */
  rewrapDataKey(record: WrappedDataKeyRecord, expectedVersionId: string): Promise<boolean>;
  /** Keys whose secrets hold data keys under an older version (an unfinished re-wrap). */
  findKeysNeedingRewrap(limit: number): Promise<string[]>;
  /** Enabled keys whose rotation policy says a rotation is due at `now`. */
  findKeysDueForRotation(now: number, limit: number): Promise<string[]>;
  /** Keys scheduled for deletion at or before `cutoff`. */
  findKeysDueForPurge(cutoff: number, limit: number): Promise<string[]>;
  /**
   * Ends a key for good, in one transaction: the data of every secret version it
   * protects is erased (those versions become `deleted`), then its versions and its row.
   * Returns how many secret versions lost their data.
   */
  purgeKey(id: string, now: number): Promise<number>;
}
