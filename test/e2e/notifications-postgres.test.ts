import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { cofferHttp, readFeed } from '../helpers/coffer-http.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { scalewayHttp } from '../helpers/scaleway-http.js';
import { advanceAndRun, runScheduler, TEST_CLOCK_ENV } from '../helpers/scheduler.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

/** PostgreSQL is required here: createTestDatabase fails when it is unreachable. */
// Both processes open the same store, so they share one root key.
const ENV = { ...TEST_CLOCK_ENV, COFFER_ROOT_KEY: Buffer.alloc(32, 41).toString('base64') };

describe('lifecycle events on PostgreSQL, two processes', () => {
  let database: TestDatabase;
  let first: TestServer;
  let second: TestServer;
  let hook: WebhookReceiver;

  before(async () => {
    database = await createTestDatabase();
    first = await startServer({ storage: 'postgres', postgresUrl: database.url, env: ENV });
    second = await startServer({ storage: 'postgres', postgresUrl: database.url, env: ENV, identity: first });
    hook = await startWebhookReceiver();
  });
  after(async () => {
    await hook.close();
    await Promise.all([first.stop(), second.stop()]);
    await database.drop();
  });

  it('gives concurrent writes from both processes one gapless order that every reader and page size sees alike', async () => {
    const writes = [first, second].flatMap((server, index) =>
      Array.from({ length: 8 }, (_, n) => scalewayHttp(server).createSecret({ name: `p${index}-${n}`, path: '/race', project_id: first.projectId })),
    );
    const ids = await Promise.all(writes);
    const fromFirst = await readFeed(first, '&path_prefix=/race', 3);
    const fromSecond = await readFeed(second, '&path_prefix=/race', 500);
    assert.deepEqual(fromFirst.events.map((event) => event.id), fromSecond.events.map((event) => event.id));
    assert.deepEqual(new Set(fromFirst.events.map((event) => event.secret_id)), new Set(ids));
    const cursors = fromFirst.events.map((event) => Number(event.cursor));
    assert.deepEqual(cursors, [...cursors].sort((a, b) => a - b));
    assert.equal(new Set(cursors).size, 16);
    // Nothing else was written to this fresh database: the sixteen are consecutive.
    assert.equal((cursors.at(-1) ?? 0) - (cursors[0] ?? 0), 15);
  });

  it('delivers every event in order to a consumer that was down, after both processes restarted', async () => {
    const created = await cofferHttp(first)('POST', '/webhooks', { url: hook.url, path_prefix: '/pg-outage' });
    assert.equal(created.status, 200);
    const secret = String(created.json.signing_secret);
    await hook.down();
    const id = await scalewayHttp(first).createSecret({ name: 'db', path: '/pg-outage', project_id: first.projectId });
    await scalewayHttp(second).addVersion(id, 'one');
    await scalewayHttp(first).addVersion(id, 'two');
    // Whichever process leads delivers; both try, one runs the pass.
    await Promise.all([runScheduler(first), runScheduler(second)]);
    assert.equal(hook.received.length, 0);

    await Promise.all([first.stop(), second.stop()]);
    first = await startServer({ storage: 'postgres', postgresUrl: database.url, env: ENV, identity: first });
    second = await startServer({ storage: 'postgres', postgresUrl: database.url, env: ENV, identity: first });
    await hook.up();
    await advanceAndRun(first, 3_600);
    await advanceAndRun(second, 3_600);
    const expected = (await readFeed(first, '&path_prefix=/pg-outage', 10)).events;
    assert.deepEqual(hook.received.map((request) => `${String(request.json.type)} ${String(request.json.revision)}`), ['secret.created null', 'version.created 1', 'version.created 2']);
    assert.deepEqual(hook.received.map((request) => request.json.id), expected.map((event) => event.id));
    for (const request of hook.received) {
      const signature = `v1=${createHmac('sha256', secret).update(`${String(request.headers['x-coffer-timestamp'])}.${request.body}`).digest('hex')}`;
      assert.equal(request.headers['x-coffer-signature'], signature);
    }
  });
});
