import assert from 'node:assert/strict';
import type { TestServer } from './server.js';

/** Environment for a server on the test clock whose timed passes stay out of the way (tests run passes themselves). */
export const TEST_CLOCK_ENV = { COFFER_TEST_CLOCK: 'on', COFFER_SCHEDULER_INTERVAL_SECONDS: '3600' } as const;

export interface PassResult {
  leader: boolean;
  ran: boolean;
  jobs: { name: string; handled: number; error: string | null }[];
}

const adminPost = async (server: Pick<TestServer, 'url' | 'secretKey'>, path: string, body: unknown) => {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'x-auth-token': server.secretKey, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as unknown;
  assert.equal(response.status, 200, `${path}: ${JSON.stringify(json)}`);
  return json;
};

/** Moves a server's test clock forward (the server must run with COFFER_TEST_CLOCK=on). */
export const advanceClock = async (server: Pick<TestServer, 'url' | 'secretKey'>, seconds: number): Promise<void> => {
  await adminPost(server, '/coffer/v1/test/clock', { advance_seconds: seconds });
};

/** Runs one scheduler pass now and returns what each job did; `ran` is false on a process that is not the leader. */
export const runScheduler = async (server: Pick<TestServer, 'url' | 'secretKey'>): Promise<PassResult> =>
  (await adminPost(server, '/coffer/v1/scheduler/run', {})) as PassResult;

/** How many items a job handled in a pass (0 when it did not run). */
export const handledBy = (pass: PassResult, job: string): number => pass.jobs.find((entry) => entry.name === job)?.handled ?? 0;

/** Moves the clock, then runs a pass: the usual step of a lifecycle test. */
export const advanceAndRun = async (server: Pick<TestServer, 'url' | 'secretKey'>, seconds: number): Promise<PassResult> => {
  await advanceClock(server, seconds);
  return runScheduler(server);
};
