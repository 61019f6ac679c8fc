import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { startRotationReceiver, type RotationReceiver } from '../helpers/rotation-receiver.js';
import { advanceClock, runScheduler, TEST_CLOCK_ENV, type PassResult } from '../helpers/scheduler.js';
import { startServer, type TestServer } from '../helpers/server.js';

const SCW = '/secret-manager/v1beta1/regions/fr-par';
const COFFER = '/coffer/v1/regions/fr-par/secrets';
type Json = Record<string, unknown>;

/**
 * Two server processes on one PostgreSQL, each running the scheduler: each due rotation
 * happens once, and when the leader is killed the other takes over, finishing the
 * rotation the dead one left under way with the same idempotency key.
 */
describe('rotation with two processes on PostgreSQL', () => {
  let database: TestDatabase;
  let receiver: RotationReceiver;
  const servers: TestServer[] = [];
  let releaseHung: () => void = () => {};

  const call = async (server: TestServer, method: string, path: string, body?: unknown): Promise<Json> => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'x-auth-token': server.secretKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as Json;
    assert.ok(response.ok, `${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  /** A secret with one version and a webhook policy already due. */
  const dueSecret = async (server: TestServer, name: string, timeoutSeconds = 10): Promise<string> => {
    const id = String((await call(server, 'POST', `${SCW}/secrets`, { name, project_id: server.projectId })).id);
    await call(server, 'POST', `${SCW}/secrets/${id}/versions`, { data: Buffer.from('v1').toString('base64') });
    const set = await call(server, 'PUT', `${COFFER}/${id}/rotation-policy`, {
      interval: '24h',
      next_rotation_at: new Date(Date.now() - 60_000).toISOString(),
      webhook: { url: receiver.url, max_attempts: 3, timeout_seconds: timeoutSeconds },
    });
    receiver.useSigningSecret(id, String(set.signing_secret));
    return id;
  };
  const versionCount = async (server: TestServer, id: string): Promise<number> => Number((await call(server, 'GET', `${SCW}/secrets/${id}`)).version_count);
  const callsFor = (id: string) => receiver.calls.filter((received) => received.body.secret_id === id);

  before(async () => {
    database = await createTestDatabase();
    receiver = await startRotationReceiver();
    const env = { ...TEST_CLOCK_ENV, COFFER_ROOT_KEY: Buffer.alloc(32, 11).toString('base64') };
    servers.push(await startServer({ storage: 'postgres', postgresUrl: database.url, env }));
    servers.push(await startServer({ storage: 'postgres', postgresUrl: database.url, env, identity: servers[0] }));
  });
  after(async () => {
    releaseHung();
    await Promise.all(servers.map((server) => server.stop()));
    await receiver.close();
    await database.drop();
  });

  let leader: TestServer | undefined;
  let follower: TestServer | undefined;

  it('rotates each due secret exactly once while both processes run scheduler passes at the same time', async () => {
    const [first, second] = servers as [TestServer, TestServer];
    receiver.plan([], async (received) => ({ status: 200, body: { value: `rotated by ${String(received.body.rotation_id)}` } }));
    const ids: string[] = [];
    for (let index = 0; index < 8; index += 1) {
      ids.push(await dueSecret(index % 2 === 0 ? first : second, `due-${index}`));
    }
    const passes: PassResult[] = await Promise.all([first, second, first, second].map((server) => runScheduler(server)));
    const leaders = new Set(passes.map((pass, index) => (pass.leader ? index % 2 : -1)).filter((index) => index >= 0));
    assert.equal(leaders.size, 1, 'exactly one process leads');
    const leaderIndex = [...leaders][0] ?? 0;
    leader = servers[leaderIndex];
    follower = servers[1 - leaderIndex];
    assert.equal(receiver.calls.length, 8, 'one webhook call per due rotation');
    for (const id of ids) {
      assert.equal(callsFor(id).length, 1);
      assert.equal(await versionCount(second, id), 2);
    }
    await Promise.all([first, second].map((server) => runScheduler(server)));
    assert.equal(receiver.calls.length, 8, 'nothing is due again before the interval');
  });

  it('lets the other process take over when the leader is killed mid-rotation, resuming it with the same idempotency key', async () => {
    assert.ok(leader && follower);
    const survivor = follower;
    // The receiver holds the next request open: the leader dies while waiting on it.
    receiver.plan(
      [
        () =>
          new Promise((resolve) => {
            releaseHung = () => resolve({ status: 503 });
          }),
      ],
      async (received) => ({ status: 200, body: { value: `rotated by ${String(received.body.rotation_id)}` } }),
    );
    const stuck = await dueSecret(survivor, 'stuck', 60);
    void runScheduler(leader).catch(() => undefined);
    for (let tries = 0; receiver.calls.length === 0 && tries < 200; tries += 1) {
      await sleep(50);
    }
    assert.equal(receiver.calls.length, 1, 'the leader called the webhook');
    const firstKey = receiver.calls[0]?.headers['idempotency-key'];
    await leader.stop('SIGKILL');

    const fresh: string[] = [];
    for (let index = 0; index < 4; index += 1) {
      fresh.push(await dueSecret(survivor, `after-${index}`));
    }
    // Past the dead leader's lease on the stuck rotation (timeout + 120 s).
    await advanceClock(survivor, 200);
    let pass = await runScheduler(survivor);
    // PostgreSQL frees the dead session's advisory lock once it sees the connection gone.
    for (let tries = 0; !pass.leader && tries < 100; tries += 1) {
      await sleep(100);
      pass = await runScheduler(survivor);
    }
    assert.equal(pass.leader, true, 'the survivor became the leader');
    for (const id of fresh) {
      assert.equal(callsFor(id).length, 1);
      assert.equal(await versionCount(survivor, id), 2);
    }
    const stuckCalls = callsFor(stuck);
    assert.equal(stuckCalls.length, 2, 'the interrupted rotation was tried again once');
    assert.deepEqual(stuckCalls.map((received) => received.headers['idempotency-key']), [firstKey, firstKey]);
    assert.deepEqual(stuckCalls.map((received) => received.body.attempt), [1, 2]);
    assert.equal(await versionCount(survivor, stuck), 2, 'one new version');
    const state = (await call(survivor, 'GET', `${COFFER}/${stuck}/rotation-policy`)).state as Json;
    assert.deepEqual([state.rotation_in_progress, state.last_revision], [false, 2]);
  });
});
