import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { INVALIDATION_BOUND_MS } from '../../src/core/cache/index.js';
import { checkAcknowledged, checkVersionSequences } from '../crash/store-check.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { startServer, type StartOptions, type TestServer } from '../helpers/server.js';
import { startMixedLoad } from './mixed-load.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const iam = async (server: TestServer, method: string, path: string, body?: unknown) => {
  const response = await fetch(`${server.url}/iam/v1alpha1${path}`, {
    method,
    headers: { 'x-auth-token': server.secretKey, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
};

/** A status of a list made with `secretKey` on `server`. */
const listWith = (server: TestServer, secretKey: string) =>
  fetch(`${server.url}/secret-manager/v1beta1/regions/fr-par/secrets?project_id=${server.projectId}`, { headers: { 'x-auth-token': secretKey } }).then((response) => response.status);

describe('three Coffer processes on one PostgreSQL, one killed and restarted under load', () => {
  let database: TestDatabase;
  const servers: (TestServer | null)[] = [];
  let options: StartOptions;
  let applicationId = '';

  before(async () => {
    database = await createTestDatabase();
    options = { storage: 'postgres', postgresUrl: database.url, env: { COFFER_ROOT_KEY: Buffer.alloc(32, 5).toString('base64') } };
    const first = await startServer(options);
    servers.push(first, ...(await Promise.all([startServer({ ...options, identity: first }), startServer({ ...options, identity: first })])));
    const application = await iam(first, 'POST', '/applications', { name: 'reader', organization_id: first.organizationId });
    applicationId = String(application.json?.id);
    const policy = await iam(first, 'POST', '/policies', {
      name: 'read',
      organization_id: first.organizationId,
      application_id: applicationId,
      rules: [{ permission_set_names: ['SecretManagerReadOnly'], project_ids: [first.projectId] }],
    });
    assert.equal(policy.status, 200, policy.text);
  });
  after(async () => {
    await Promise.all(servers.map((server) => server?.stop()));
    await database.drop();
  });

  /** Makes a reader key, has every live process cache it, revokes it on `revoker`, and waits for the others to refuse it. */
  const revokeAndWatch = async (revoker: TestServer, watchers: TestServer[], beforeDelete = async () => {}): Promise<number[]> => {
    const key = await iam(revoker, 'POST', '/api-keys', { application_id: applicationId });
    const secretKey = String(key.json?.secret_key);
    for (const watcher of watchers) {
      assert.equal(await listWith(watcher, secretKey), 200, 'the key works everywhere, and is now cached');
    }
    await beforeDelete();
    assert.equal((await iam(revoker, 'DELETE', `/api-keys/${String(key.json?.access_key)}`)).status, 204);
    const deletedAt = Date.now();
    return Promise.all(
      watchers.map(async (watcher) => {
        // A correctness deadline: past the documented bound, every process must refuse the key.
        let status = await listWith(watcher, secretKey);
        while (status === 200 && Date.now() - deletedAt < INVALIDATION_BOUND_MS) {
          await pause(10);
          status = await listWith(watcher, secretKey);
        }
        assert.equal(status, 401, `${watcher.url} still accepted the key ${Date.now() - deletedAt} ms after its deletion; the bound is ${INVALIDATION_BOUND_MS} ms`);
        return Date.now() - deletedAt;
      }),
    );
  };

  it('answers no 5xx, loses no acknowledged write, and refuses a revoked key everywhere within the bound', async (t) => {
    const [first, second, third] = servers;
    assert.ok(first && second && third);
    const victim = 1;
    const load = startMixedLoad(() => servers, () => victim, 6, applicationId);
    await pause(1_500);
    const beforeKill = await revokeAndWatch(first, [second, third]);

    servers[victim] = null;
    await second.stop('SIGKILL');
    await pause(1_000);
    const restarted = await startServer({ ...options, identity: first });
    servers[victim] = restarted;
    await pause(1_500);
    // Revoked on the survivor, refused by the restarted process (its listener is new) and the other.
    const afterRestart = await revokeAndWatch(third, [restarted, first]);
    // With every process's listening connection cut just before the deletion, its NOTIFY may
    // reach nobody: the processes notice the loss, flush their caches and still meet the bound.
    const cutListeners = async () => {
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      try {
        const cut = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'coffer-listener'");
        assert.equal(cut.rowCount, 3);
      } finally {
        await admin.end();
      }
    };
    const listenersCut = await revokeAndWatch(first, [restarted, third], cutListeners);
    await pause(500);
    await load.stop();

    const live = servers.filter((server): server is TestServer => server !== null);
    for (const server of live) {
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      assert.match(metrics, /^coffer_cache_invalidation_listening 1$/m, `${server.url} hears the others again`);
    }
    const reads = await checkAcknowledged(restarted, load.secrets);
    await checkVersionSequences(first, load.secrets);
    for (const accessKey of load.apiKeys) {
      const found = await iam(third, 'GET', `/api-keys/${accessKey}`);
      assert.equal(found.status, 200, `acknowledged API key ${accessKey} is missing: ${found.text}`);
    }
    const { requests, victimConnectionErrors, failures } = load.figures;
    t.diagnostic(
      `${live.length} processes; requests ${JSON.stringify(requests)}; ${victimConnectionErrors} connection errors from the killed process; ` +
        `${load.secrets.length} secrets, ${reads} acknowledged versions and ${load.apiKeys.length} API keys found after the restart; ` +
        `revoked key refused after ${[...beforeKill, ...afterRestart].join(', ')} ms, and ${listenersCut.join(', ')} ms with the listening connections cut (bound ${INVALIDATION_BOUND_MS} ms)`,
    );
    assert.deepEqual(failures, [], 'no 5xx and no connection error from a live process, no wrong read');
    assert.ok(reads > 0 && load.apiKeys.length > 0 && requests.list > 0, 'the load wrote, read, listed and made keys');
  });
});
