import type { Clock } from './shared/clock.js';
import type { Logger } from './shared/logger.js';
import { createScheduler, type ScheduledJob, type Scheduler } from './core/scheduler/index.js';
import type { StorageOptions } from './storage/index.js';
import { openLeaderLock } from './storage/leader-lock.js';

export interface SchedulingOptions {
  storage: StorageOptions;
  jobs: readonly ScheduledJob[];
  clock: Clock;
  logger: Logger;
  intervalSeconds: number;
}

/** The one scheduler of this process, with the engine's leader lock; started by the caller once listening. */
export const createProcessScheduler = ({ storage, jobs, clock, logger, intervalSeconds }: SchedulingOptions): Scheduler =>
  createScheduler({ jobs, clock, logger, intervalSeconds, lock: openLeaderLock(storage) });
