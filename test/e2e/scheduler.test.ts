import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { advanceClock, runScheduler, TEST_CLOCK_ENV } from '../helpers/scheduler.js';
import { startServer, type TestServer } from '../helpers/server.js';

const call = async (server: TestServer, method: string, path: string, token: string | null, body?: unknown) => {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(token === null ? {} : { 'x-auth-token': token }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
};

describe('the scheduler over HTTP', () => {
  let server: TestServer;
  let plain: TestServer;
  before(async () => {
    [server, plain] = await Promise.all([startServer({ env: TEST_CLOCK_ENV }), startServer()]);
  });
  after(async () => {
    await Promise.all([server.stop(), plain.stop()]);
  });

  it('announces the test clock loudly at start, and only when it is on', () => {
    assert.match(server.output(), /WARNING: COFFER_TEST_CLOCK=on/);
    assert.doesNotMatch(plain.output(), /TEST_CLOCK/);
  });

  it('runs a pass on demand and reports every job; SQLite is always the leader', async () => {
    const pass = await runScheduler(server);
    assert.equal(pass.leader, true);
    assert.equal(pass.ran, true);
    const names = pass.jobs.map((job) => job.name);
    for (const name of ['secrets.purge', 'versions.purge', 'versions.ephemeral_expiry', 'kms.maintenance']) {
      assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    }
    assert.ok(pass.jobs.every((job) => job.error === null && job.handled === 0));
  });

  it('shows leadership, the last pass and per-job counts', async () => {
    await runScheduler(server);
    const status = await call(server, 'GET', '/coffer/v1/scheduler', server.secretKey);
    assert.equal(status.status, 200);
    assert.equal(status.json.leader, true);
    assert.equal(status.json.interval_seconds, 3600);
    assert.ok(Number(status.json.passes) >= 2);
    assert.match(String(status.json.last_pass_started_at), /^\d{4}-\d{2}-\d{2}T.*Z$/);
    const jobs = status.json.jobs as { name: string; runs: number; failures: number }[];
    assert.ok((jobs.find((job) => job.name === 'secrets.purge')?.runs ?? 0) >= 2);
    assert.ok(jobs.every((job) => job.failures === 0));
  });

  it('moves the test clock forward, and everything that tells time follows it', async () => {
    const before = await call(server, 'POST', '/coffer/v1/test/clock', server.secretKey, { advance_seconds: 0 });
    await advanceClock(server, 86_400);
    const after = await call(server, 'POST', '/coffer/v1/test/clock', server.secretKey, { advance_seconds: 0 });
    assert.equal(Number(after.json.offset_seconds) - Number(before.json.offset_seconds), 86_400);
    assert.ok(Date.parse(String(after.json.now)) - Date.parse(String(before.json.now)) >= 86_400_000);
    // A secret created now carries the moved clock's time.
    const created = await call(server, 'POST', '/secret-manager/v1beta1/regions/fr-par/secrets', server.secretKey, { name: 'clocked', project_id: server.projectId });
    assert.ok(Date.parse(String(created.json.created_at)) - Date.now() > 86_000_000);
  });

  it('refuses a clock that goes back or a malformed body with 400', async () => {
    for (const body of [{ advance_seconds: -1 }, { advance_seconds: 'soon' }, {}]) {
      const answer = await call(server, 'POST', '/coffer/v1/test/clock', server.secretKey, body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.json.type, 'invalid_arguments');
    }
  });

  it('has no test clock route at all when the test clock is off', async () => {
    const answer = await call(plain, 'POST', '/coffer/v1/test/clock', plain.secretKey, { advance_seconds: 60 });
    assert.equal(answer.status, 404);
    const pass = await runScheduler(plain);
    assert.equal(pass.ran, true);
  });

  it('keeps the scheduler routes to admin keys: no key is 401', async () => {
    assert.equal((await call(server, 'GET', '/coffer/v1/scheduler', null)).status, 401);
    assert.equal((await call(server, 'POST', '/coffer/v1/scheduler/run', null, {})).status, 401);
    assert.equal((await call(server, 'POST', '/coffer/v1/test/clock', null, { advance_seconds: 1 })).status, 401);
  });
});
