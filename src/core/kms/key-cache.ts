import type { Clock } from '../../shared/clock.js';
import { NO_CACHE_METER, type CacheMeter } from '../../shared/metrics.js';
import { EVERY_ENTRY, type CacheInvalidation } from '../cache/index.js';
import type { CustomerKey } from './kms-model.js';
import type { KmsStore } from './kms-store.js';

/**
 * How long a process trusts a key's state on the secret read path. A disable, deletion
 * or purge is published to every process's cache when it commits (see core/cache); this
 * bound covers a writer that died before it could publish, like IAM's key cache.
 */
export const KEY_STATE_CACHE_MICROS = 1_000_000;

/**
 * Reads of a secret under a customer-managed key check the key's state every time;
 * caching the row for a second keeps that check off the database on the hot path.
 * Returns the cached lookup and a store whose key writes invalidate the cache everywhere.
 */
export const createKeyCache = (store: KmsStore, clock: Clock, invalidation: CacheInvalidation, meter: CacheMeter = NO_CACHE_METER) => {
  const entries = new Map<string, { key: CustomerKey | null; until: number }>();
  // A lookup that began before an invalidation of its key must not cache what it read.
  let generation = 0;
  invalidation.subscribe('kms-key', (id) => {
    generation += 1;
    if (id === EVERY_ENTRY) {
      entries.clear();
    } else {
      entries.delete(id);
    }
  });

  const cachingStore: KmsStore = Object.create(store) as KmsStore;
  cachingStore.updateKey = async (id, mutate) => {
    try {
      return await store.updateKey(id, mutate);
    } finally {
      await invalidation.publish('kms-key', id);
    }
  };
  cachingStore.purgeKey = async (id, now) => {
    try {
      return await store.purgeKey(id, now);
    } finally {
      await invalidation.publish('kms-key', id);
    }
  };

  return {
    store: cachingStore,
    async lookup(id: string): Promise<CustomerKey | null> {
      const now = clock.nowMicros();
      const hit = entries.get(id);
      if (hit && hit.until > now) {
        meter.hit();
        return hit.key;
      }
      meter.miss();
      const readAt = generation;
      const key = await store.getKey(id);
      if (readAt === generation) {
        entries.set(id, { key, until: now + invalidation.entryLifetimeMs(KEY_STATE_CACHE_MICROS / 1000) * 1000 });
      }
      return key;
    },
  };
};
