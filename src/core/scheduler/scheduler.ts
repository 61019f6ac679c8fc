import { performance } from 'node:perf_hooks';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { LeaderLock } from './leader-lock.js';
import type { ScheduledJob } from './scheduled-job.js';

export interface SchedulerDeps {
  /** Read at every pass, so jobs appended after creation run too. */
  jobs: readonly ScheduledJob[];
  clock: Clock;
  lock: LeaderLock;
  logger: Logger;
  intervalSeconds: number;
}

/** What one job did in one pass; a failed job does not stop the others. */
export interface JobOutcome {
  name: string;
  handled: number;
  error: string | null;
}

export interface PassReport {
  /** False when another process holds the lock: then nothing ran here. */
  leader: boolean;
  startedAt: number;
  finishedAt: number;
  jobs: JobOutcome[];
}

export interface JobStats {
  name: string;
  runs: number;
  failures: number;
  handledTotal: number;
  lastHandled: number | null;
  lastError: string | null;
  lastRunAt: number | null;
}

export interface SchedulerStatus {
  leader: boolean;
  intervalSeconds: number;
  passes: number;
  lastPassStartedAt: number | null;
  lastPassFinishedAt: number | null;
  /** How much later than planned the last timed pass began (a busy event loop, a slow pass). */
  lagSeconds: number;
  jobs: JobStats[];
}

const describeError = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error');

/**
 * The one scheduler: every interval, if this process holds the leader lock, it runs each
 * job once, in order. Passes never overlap; `runPass` (the admin "run now") waits for a
 * pass in progress and then runs its own.
 */
export const createScheduler = ({ jobs, clock, lock, logger, intervalSeconds }: SchedulerDeps) => {
  const stats = new Map<string, JobStats>();
  let leader = false;
  let passes = 0;
  let lastPassStartedAt: number | null = null;
  let lastPassFinishedAt: number | null = null;
  let lagSeconds = 0;
  let queue: Promise<unknown> = Promise.resolve();
  let busy = false;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const statsOf = (name: string): JobStats => {
    let entry = stats.get(name);
    if (!entry) {
      entry = { name, runs: 0, failures: 0, handledTotal: 0, lastHandled: null, lastError: null, lastRunAt: null };
      stats.set(name, entry);
    }
    return entry;
  };

  const runJob = async (job: ScheduledJob, now: number): Promise<JobOutcome> => {
    const entry = statsOf(job.name);
    entry.runs += 1;
    entry.lastRunAt = now;
    try {
      const handled = await job.runDue(now);
      entry.handledTotal += handled;
      entry.lastHandled = handled;
      entry.lastError = null;
      return { name: job.name, handled, error: null };
    } catch (error) {
      entry.failures += 1;
      entry.lastError = describeError(error);
      logger.error({ err: error, job: job.name }, 'scheduled job failed');
      return { name: job.name, handled: 0, error: entry.lastError };
    }
  };

  const pass = async (): Promise<PassReport> => {
    const startedAt = clock.nowMicros();
    const wasLeader = leader;
    leader = await lock.tryAcquire();
    if (leader !== wasLeader) {
      logger.info({ leader }, leader ? 'scheduler: this process is now the leader' : 'scheduler: leadership lost');
    }
    if (!leader) {
      return { leader, startedAt, finishedAt: clock.nowMicros(), jobs: [] };
    }
    lastPassStartedAt = startedAt;
    const outcomes: JobOutcome[] = [];
    for (const job of [...jobs]) {
      // Each job sees the time at which it starts: a long job before it must not make it act on a stale now.
      outcomes.push(await runJob(job, clock.nowMicros()));
    }
    passes += 1;
    lastPassFinishedAt = clock.nowMicros();
    if (outcomes.some((outcome) => outcome.handled > 0 || outcome.error !== null)) {
      logger.info({ jobs: outcomes }, 'scheduler pass');
    }
    return { leader, startedAt, finishedAt: lastPassFinishedAt, jobs: outcomes };
  };

  /** Runs a pass after any pass in progress. */
  const runPass = (): Promise<PassReport> => {
    const next = queue.then(async () => {
      busy = true;
      try {
        return await pass();
      } finally {
        busy = false;
      }
    });
    queue = next.catch(() => undefined);
    return next;
  };

  const schedule = (dueAt: number): void => {
    if (stopped) {
      return;
    }
    timer = setTimeout(() => {
      lagSeconds = Math.max(0, (performance.now() - dueAt) / 1000);
      const startedAt = performance.now();
      // A "run now" in progress stands in for this pass.
      const work = busy ? queue : runPass();
      void work
        .catch((error: unknown) => logger.error({ err: error }, 'scheduler pass failed'))
        .finally(() => schedule(startedAt + intervalSeconds * 1000));
    }, Math.max(0, dueAt - performance.now()));
    timer.unref();
  };

  return {
    runPass,
    start(): void {
      stopped = false;
      schedule(performance.now() + intervalSeconds * 1000);
    },
    status(): SchedulerStatus {
      return {
        leader,
        intervalSeconds,
        passes,
        lastPassStartedAt,
        lastPassFinishedAt,
        lagSeconds,
        jobs: jobs.map((job) => ({ ...statsOf(job.name) })),
      };
    },
    /** Stops the timer, waits for the pass in progress, and hands leadership over. */
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await queue;
      await lock.release();
      leader = false;
    },
  };
};

export type Scheduler = ReturnType<typeof createScheduler>;
