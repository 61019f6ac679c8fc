/**
 * What a cache holds: the auth cache (keys and their grants, flushed on any IAM write) and
 * the customer-managed key cache (state and material, by key id).
 */
export type InvalidationTopic = 'iam' | 'kms-key';

/** The key that stands for every entry of a topic, sent when invalidations may have been missed. */
export const EVERY_ENTRY = '*';

/**
 * The port through which a write tells every process's caches that entries are stale. A
 * key is an id, never a secret: the message may cross the network in clear.
 */
export interface CacheInvalidation {
  /** Applied to this process's caches before it returns, then sent to the others. */
  publish(topic: InvalidationTopic, key: string): Promise<void>;
  /** Runs `handler` for each invalidation of `topic`; the key is `EVERY_ENTRY` to flush all. */
  subscribe(topic: InvalidationTopic, handler: (key: string) => void): void;
  /**
   * How long an entry cached now may be served: `preferredMs` while invalidations are known
   * to arrive, the fallback bound while they may not (a lost connection to the other processes).
   */
  entryLifetimeMs(preferredMs: number): number;
}

/** How stale an entry may be while invalidations cannot be trusted to arrive. */
export const FALLBACK_LIFETIME_MS = 1_000;

/**
 * The documented bound: a change acknowledged by one process is seen by every other
 * process's caches within this time (NOTIFY takes milliseconds; a lost connection is
 * noticed, and caches flushed, within it).
 */
export const INVALIDATION_BOUND_MS = 1_000;

/** Subscribers by topic, shared by every implementation. */
export const createSubscribers = () => {
  const handlers = new Map<InvalidationTopic, ((key: string) => void)[]>();
  const dispatch = (topic: InvalidationTopic, key: string): void => {
    for (const handler of handlers.get(topic) ?? []) {
      handler(key);
    }
  };
  return {
    add(topic: InvalidationTopic, handler: (key: string) => void): void {
      handlers.set(topic, [...(handlers.get(topic) ?? []), handler]);
    },
    dispatch,
    flushAll(): void {
      for (const topic of handlers.keys()) {
        dispatch(topic, EVERY_ENTRY);
      }
    },
  };
};

/** One process alone on its store (SQLite): invalidations are function calls and never lost. */
export const createLocalInvalidation = (): CacheInvalidation => {
  const subscribers = createSubscribers();
  return {
    publish: (topic, key) => {
      subscribers.dispatch(topic, key);
      return Promise.resolve();
    },
    subscribe: (topic, handler) => subscribers.add(topic, handler),
    entryLifetimeMs: (preferredMs) => preferredMs,
  };
};
