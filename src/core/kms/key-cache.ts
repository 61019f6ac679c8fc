import type { Clock } from '../../shared/clock.js';
import type { CustomerKey } from './kms-model.js';
import type { KmsStore } from './kms-store.js';

/**
 * How long a process trusts a key's state on the secret read path. A disable, deletion
 * or purge made by this process takes effect at once (its write clears the entry); one
 * made by another process on the same database, within this bound, like IAM's key cache.
 */
export const KEY_STATE_CACHE_MICROS = 1_000_000;

/**
 * Reads of a secret under a customer-managed key check the key's state every time;
 * caching the row for a second keeps that check off the database on the hot path.
 * Returns the cached lookup and a store whose key writes clear the cache.
 */
export const createKeyCache = (store: KmsStore, clock: Clock) => {
  const entries = new Map<string, { key: CustomerKey | null; until: number }>();

  const cachingStore: KmsStore = Object.create(store) as KmsStore;
  cachingStore.updateKey = async (id, mutate) => {
    try {
      return await store.updateKey(id, mutate);
    } finally {
      entries.delete(id);
    }
  };
  cachingStore.purgeKey = async (id, now) => {
    try {
      return await store.purgeKey(id, now);
    } finally {
      entries.delete(id);
    }
  };

  return {
    store: cachingStore,
    async lookup(id: string): Promise<CustomerKey | null> {
      const now = clock.nowMicros();
      const hit = entries.get(id);
      if (hit && hit.until > now) {
        return hit.key;
      }
      const key = await store.getKey(id);
      entries.set(id, { key, until: now + KEY_STATE_CACHE_MICROS });
      return key;
    },
  };
};
