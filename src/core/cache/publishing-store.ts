import type { CacheInvalidation, InvalidationTopic } from './cache-invalidation.js';

type AsyncMethod = (...args: never[]) => Promise<unknown>;

/**
 * A store whose listed write methods publish an invalidation once they have committed,
 * before their caller can answer: an acknowledged change has always been announced.
 * `keyOf` names the entry from the call's arguments; absent, the whole topic is stale.
 */
export const publishingStore = <T extends object>(
  store: T,
  invalidation: CacheInvalidation,
  topic: InvalidationTopic,
  writes: readonly (keyof T)[],
  keyOf: (args: readonly unknown[]) => string,
): T => {
  const wrapped = Object.create(store) as T;
  for (const name of writes) {
    const method = store[name];
    if (typeof method !== 'function') {
      throw new TypeError(`store has no method ${String(name)}`);
    }
    const write = method as AsyncMethod;
    const publishing = async (...args: never[]): Promise<unknown> => {
      // Also after a failure: a commit whose answer was lost may still have happened.
      try {
        return await write.apply(store, args);
      } finally {
        await invalidation.publish(topic, keyOf(args));
      }
    };
    Object.defineProperty(wrapped, name, { value: publishing, enumerable: true, writable: true, configurable: true });
  }
  return wrapped;
};
