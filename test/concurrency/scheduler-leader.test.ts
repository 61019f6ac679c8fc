import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { advanceClock, handledBy, runScheduler, TEST_CLOCK_ENV, type PassResult } from '../helpers/scheduler.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { eventually } from '../helpers/wire.js';

const SCW = '/secret-manager/v1beta1/regions/fr-par';
const COFFER = '/coffer/v1/regions/fr-par/secrets';
const DAY = 86_400;
type Json = Record<string, unknown>;

/**
 * Two server processes on one PostgreSQL, each with its scheduler: exactly one leads (a
 * session advisory lock), so each due purge happens once; when the leader is killed with
 * SIGKILL its session ends, the lock with it, and the other process takes over.
 */
describe('the scheduler\'s leader with two processes on PostgreSQL', () => {
  let database: TestDatabase;
  const servers: TestServer[] = [];

  const call = async (server: TestServer, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'x-auth-token': server.secretKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json()) as Json };
  };
  /** Secrets whose 7-day deletion window has begun, made through either process. */
  const scheduleDeletions = async (prefix: string, count: number): Promise<string[]> => {
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const server = servers[index % 2] as TestServer;
      const created = await call(server, 'POST', `${SCW}/secrets`, { name: `${prefix}-${index}`, project_id: server.projectId });
      const id = String(created.json.id);
      assert.equal((await call(server, 'POST', `${COFFER}/${id}/schedule-deletion`, { window_days: 7 })).status, 200);
      ids.push(id);
    }
    return ids;
  };
  const remaining = async (server: TestServer, ids: string[]): Promise<number> =>
    (await Promise.all(ids.map(async (id) => (await call(server, 'GET', `${COFFER}/${id}/lifecycle`)).status))).filter((status) => status === 200).length;
  const purgeEvents = async (server: TestServer, ids: string[]): Promise<Map<string, number>> => {
    const feed = await call(server, 'GET', '/coffer/v1/regions/fr-par/events?since=0&page_size=500&type=secret.purged');
    assert.equal(feed.status, 200, JSON.stringify(feed.json));
    const counts = new Map(ids.map((id) => [id, 0]));
    for (const event of feed.json.events as { secret_id: string }[]) {
      if (counts.has(event.secret_id)) {
        counts.set(event.secret_id, (counts.get(event.secret_id) ?? 0) + 1);
      }
    }
    return counts;
  };

  before(async () => {
    database = await createTestDatabase();
    // One root key for both processes, as a shared deployment has.
    const env = { ...TEST_CLOCK_ENV, COFFER_ROOT_KEY: Buffer.alloc(32, 23).toString('base64') };
    servers.push(await startServer({ storage: 'postgres', postgresUrl: database.url, env }));
    servers.push(await startServer({ storage: 'postgres', postgresUrl: database.url, env, identity: servers[0] }));
  });
  after(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await database.drop();
  });

  let leader: TestServer | undefined;
  let follower: TestServer | undefined;

  it('lets exactly one process act, however often both run passes at once, so each purge happens once', async () => {
    const [first, second] = servers as [TestServer, TestServer];
    const ids = await scheduleDeletions('first-batch', 6);
    for (const server of servers) {
      await advanceClock(server, 7 * DAY + 60);
    }
    const passes: PassResult[] = await Promise.all([first, second, first, second, first, second].map((server) => runScheduler(server)));
    const leading = new Set(passes.map((pass, index) => (pass.ran ? index % 2 : -1)).filter((index) => index >= 0));
    assert.equal(leading.size, 1, 'exactly one process leads');
    const leaderIndex = [...leading][0] ?? 0;
    leader = servers[leaderIndex];
    follower = servers[1 - leaderIndex];
    assert.ok(passes.filter((_, index) => index % 2 !== leaderIndex).every((pass) => !pass.leader && !pass.ran && pass.jobs.length === 0));
    const purged = passes.reduce((sum, pass) => sum + handledBy(pass, 'secrets.purge'), 0);
    assert.equal(purged, 6);
    assert.equal(await remaining(first, ids), 0);
    assert.deepEqual([...(await purgeEvents(first, ids)).values()], [1, 1, 1, 1, 1, 1]);

    const statuses = await Promise.all(servers.map(async (server) => (await call(server, 'GET', '/coffer/v1/scheduler')).json));
    assert.deepEqual(statuses.map((status) => status.leader), servers.map((server) => server === leader));
  });

  it('hands leadership to the other process when the leader is killed with SIGKILL', async () => {
    assert.ok(leader && follower);
    const survivor = follower;
    const ids = await scheduleDeletions('second-batch', 4);
    for (const server of servers) {
      await advanceClock(server, 7 * DAY + 60);
    }
    // The follower may not act while the leader lives.
    const idle = await runScheduler(survivor);
    assert.equal(idle.ran, false);
    assert.equal(await remaining(survivor, ids), 4);

    assert.equal(await leader.stop('SIGKILL'), null);
    // PostgreSQL ends the dead process's session as soon as its socket closes; the lock goes with it.
    let takeover: PassResult | undefined;
    const tookOver = await eventually(async () => {
      takeover = await runScheduler(survivor);
      return takeover.ran;
    }, 15_000, 200);
    assert.ok(tookOver, 'the surviving process did not take over');
    assert.equal(handledBy(takeover as PassResult, 'secrets.purge'), 4);
    assert.equal(await remaining(survivor, ids), 0);
    assert.deepEqual([...(await purgeEvents(survivor, ids)).values()], [1, 1, 1, 1]);
    assert.equal((await call(survivor, 'GET', '/coffer/v1/scheduler')).json.leader, true);
    // Its own timed passes keep it: a later pass still runs here.
    assert.equal((await runScheduler(survivor)).ran, true);
  });

  it('holds one advisory lock in one session, and takes it again on a new connection when that session is lost', async () => {
    assert.ok(follower);
    const survivor = follower;
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const holders = async () =>
        (
          await admin.query<{ application_name: string }>(
            `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'advisory' AND l.objid = 7311004 AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          )
        ).rows.map((row) => row.application_name);
      assert.deepEqual(await holders(), ['coffer-scheduler']);
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'coffer-scheduler' AND datname = current_database()");
      assert.ok(await eventually(async () => (await holders()).length === 0, 5_000, 50), 'the terminated session still holds the lock');
      // The next pass notices the lost session; a pass after it leads again on a new connection.
      assert.ok(await eventually(async () => (await runScheduler(survivor)).ran, 15_000, 200), 'the lock was not taken again');
      assert.deepEqual(await holders(), ['coffer-scheduler']);
    } finally {
      await admin.end();
    }
  });
});
