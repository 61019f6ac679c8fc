export { createLocalInvalidation, createSubscribers, EVERY_ENTRY, FALLBACK_LIFETIME_MS, INVALIDATION_BOUND_MS } from './cache-invalidation.js';
export type { CacheInvalidation, InvalidationTopic } from './cache-invalidation.js';
export { publishingStore } from './publishing-store.js';
