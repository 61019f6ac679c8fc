export type { ScheduledJob } from './scheduled-job.js';
export type { LeaderLock } from './leader-lock.js';
export { soleLeader } from './leader-lock.js';
export { createOffsetClock } from './offset-clock.js';
export type { OffsetClock } from './offset-clock.js';
export { createScheduler } from './scheduler.js';
export type { JobOutcome, JobStats, PassReport, Scheduler, SchedulerStatus } from './scheduler.js';
