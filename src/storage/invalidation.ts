import { createLocalInvalidation, type CacheInvalidation } from '../core/cache/index.js';
import { startPostgresInvalidation } from './postgres/invalidation-listener.js';

export interface ProcessInvalidation extends CacheInvalidation {
  /** Whether other processes' invalidations are arriving; always true with one process. */
  listening(): boolean;
  close(): Promise<void>;
}

/**
 * Cache invalidation for an engine: SQLite has one process, so a function call is enough;
 * PostgreSQL may have several, which hear each other through LISTEN/NOTIFY.
 */
export const openCacheInvalidation = (postgresUrl: string | null): ProcessInvalidation =>
  postgresUrl === null ? { ...createLocalInvalidation(), listening: () => true, close: () => Promise.resolve() } : startPostgresInvalidation(postgresUrl);
