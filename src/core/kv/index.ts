export * from './kv-model.js';
export { createKvService } from './kv-service.js';
export type { KvStore } from './kv-store.js';
export { isPlainObject, mergePatch } from './merge-patch.js';
