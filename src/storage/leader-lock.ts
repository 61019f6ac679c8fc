import { soleLeader, type LeaderLock } from '../core/scheduler/index.js';
import type { StorageOptions } from './index.js';
import { openAdvisoryLeaderLock } from './postgres/advisory-leader-lock.js';

/** The scheduler's leader lock for an engine: SQLite has one process, PostgreSQL an advisory lock. */
export const openLeaderLock = (options: StorageOptions): LeaderLock =>
  options.kind === 'postgres' ? openAdvisoryLeaderLock(options.url) : soleLeader;
