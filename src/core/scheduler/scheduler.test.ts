import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Clock } from '../../shared/clock.js';
import type { LeaderLock } from './leader-lock.js';
import { createOffsetClock } from './offset-clock.js';
import type { ScheduledJob } from './scheduled-job.js';
import { createScheduler } from './scheduler.js';

const quietLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** A lock whose holder the test decides, and which counts releases. */
const switchableLock = (initially: boolean) => {
  const state = { leader: initially, released: 0 };
  const lock: LeaderLock = {
    tryAcquire: async () => state.leader,
    release: async () => {
      state.released += 1;
    },
  };
  return { state, lock };
};

const steppedClock = (start: number): Clock & { set(value: number): void } => {
  let now = start;
  return { nowMicros: () => now, set: (value) => (now = value) };
};

describe('the scheduler', () => {
  it('runs every job in order at each pass, with the time each starts at, and keeps going past a failure', async () => {
    const clock = steppedClock(1_000);
    const seen: string[] = [];
    const jobs: ScheduledJob[] = [
      { name: 'first', runDue: async (now) => (seen.push(`first@${now}`), 2) },
      { name: 'broken', runDue: async () => Promise.reject(new Error('store unavailable')) },
      { name: 'last', runDue: async (now) => (seen.push(`last@${now}`), 0) },
    ];
    const scheduler = createScheduler({ jobs, clock, lock: switchableLock(true).lock, logger: quietLogger, intervalSeconds: 5 });
    const pass = await scheduler.runPass();
    assert.deepEqual(seen, ['first@1000', 'last@1000']);
    assert.deepEqual(pass.jobs, [
      { name: 'first', handled: 2, error: null },
      { name: 'broken', handled: 0, error: 'Error: store unavailable' },
      { name: 'last', handled: 0, error: null },
    ]);
    clock.set(2_000);
    await scheduler.runPass();
    const status = scheduler.status();
    assert.equal(status.passes, 2);
    assert.equal(status.lastPassStartedAt, 2_000);
    assert.deepEqual(
      status.jobs.map((job) => [job.name, job.runs, job.failures, job.handledTotal, job.lastError]),
      [
        ['first', 2, 0, 4, null],
        ['broken', 2, 2, 0, 'Error: store unavailable'],
        ['last', 2, 0, 0, null],
      ],
    );
  });

  it('runs nothing while another process leads, and resumes when it leads again', async () => {
    const { state, lock } = switchableLock(false);
    let runs = 0;
    const scheduler = createScheduler({ jobs: [{ name: 'count', runDue: async () => (runs += 1) }], clock: steppedClock(0), lock, logger: quietLogger, intervalSeconds: 5 });
    const idle = await scheduler.runPass();
    assert.deepEqual([idle.leader, idle.jobs.length, runs, scheduler.status().leader, scheduler.status().passes], [false, 0, 0, false, 0]);
    state.leader = true;
    assert.equal((await scheduler.runPass()).leader, true);
    assert.deepEqual([runs, scheduler.status().leader], [1, true]);
    state.leader = false;
    await scheduler.runPass();
    assert.deepEqual([runs, scheduler.status().leader], [1, false]);
  });

  it('never overlaps passes: a second request waits for the pass in progress', async () => {
    let running = 0;
    let most = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const job: ScheduledJob = {
      name: 'slow',
      runDue: async () => {
        running += 1;
        most = Math.max(most, running);
        await gate;
        running -= 1;
        return 1;
      },
    };
    const scheduler = createScheduler({ jobs: [job], clock: steppedClock(0), lock: switchableLock(true).lock, logger: quietLogger, intervalSeconds: 5 });
    const passes = [scheduler.runPass(), scheduler.runPass(), scheduler.runPass()];
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(running, 1, 'one pass runs, the others wait');
    release();
    assert.deepEqual((await Promise.all(passes)).map((pass) => pass.jobs[0]?.handled), [1, 1, 1]);
    assert.equal(most, 1);
  });

  it('runs jobs appended to its list after it was made, and hands leadership back when stopped', async () => {
    const jobs: ScheduledJob[] = [];
    const { state, lock } = switchableLock(true);
    const scheduler = createScheduler({ jobs, clock: steppedClock(0), lock, logger: quietLogger, intervalSeconds: 3600 });
    scheduler.start();
    jobs.push({ name: 'late', runDue: async () => 7 });
    assert.equal((await scheduler.runPass()).jobs[0]?.handled, 7);
    await scheduler.stop();
    assert.equal(state.released, 1);
    assert.equal(scheduler.status().leader, false);
  });
});

describe('the offset clock', () => {
  it('follows its base clock plus an offset that only moves forward', () => {
    const base = steppedClock(5_000_000);
    const clock = createOffsetClock(base);
    assert.equal(clock.nowMicros(), 5_000_000);
    clock.advance(2.5);
    assert.equal(clock.nowMicros(), 7_500_000);
    base.set(6_000_000);
    assert.equal(clock.nowMicros(), 8_500_000);
    assert.equal(clock.offsetSeconds(), 2.5);
    assert.throws(() => clock.advance(-1), RangeError);
    assert.throws(() => clock.advance(Number.NaN), RangeError);
    assert.equal(clock.offsetSeconds(), 2.5);
  });
});
