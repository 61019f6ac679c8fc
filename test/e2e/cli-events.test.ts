import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { scalewayHttp } from '../helpers/scaleway-http.js';
import { runScheduler, TEST_CLOCK_ENV } from '../helpers/scheduler.js';
import { ROOT_DIR, startServer, type TestServer } from '../helpers/server.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

/** `coffer events` and `coffer webhooks`, run as users run them, against a real server. */
describe('coffer events and coffer webhooks', () => {
  let server: TestServer;
  let hook: WebhookReceiver;
  const env = () => ({ ...process.env, COFFER_ADDR: server.url, COFFER_SECRET_KEY: server.secretKey, COFFER_PROJECT_ID: server.projectId });
  const entry = ['--import', 'tsx', join(ROOT_DIR, 'src/cli/index.ts')];
  // Asynchronous: the receiver lives in this process and must answer while the CLI runs.
  const coffer = (args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [...entry, ...args], { env: env() });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  const json = async (args: string[]) => {
    const result = await coffer([...args, '--output', 'json']);
    assert.equal(result.status, 0, `${result.stderr}${result.stdout}`);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  };

  before(async () => {
    server = await startServer({ env: TEST_CLOCK_ENV });
    hook = await startWebhookReceiver();
  });
  after(async () => {
    await hook.close();
    await server.stop();
  });

  it('creates, lists, tests and deletes a webhook, and its deliveries arrive', async () => {
    const created = await json(['webhooks', 'create', hook.url, '--type', 'secret.created', '--path-prefix', '/cli', '--description', 'from the CLI']);
    assert.match(String(created.signing_secret), /^whsec_/);
    const id = String(created.id);
    const listed = await json(['webhooks', 'list']) as { webhooks: { id: string; event_types: string[] }[] };
    assert.deepEqual(listed.webhooks.find((webhook) => webhook.id === id)?.event_types, ['secret.created']);
    const table = await coffer(['webhooks', 'list']);
    assert.equal(table.status, 0);
    assert.ok(table.stdout.includes(id) && !table.stdout.includes('/hooks/coffer'), 'the table shows the origin only');
    assert.deepEqual(await json(['webhooks', 'test', id]), { delivered: true, status_code: 200, error: null });
    const secretId = await scalewayHttp(server).createSecret({ name: 'db', path: '/cli', project_id: server.projectId });
    await runScheduler(server);
    assert.deepEqual(hook.received.filter((request) => request.json.type === 'secret.created').map((request) => request.json.secret_id), [secretId]);
    assert.equal((await coffer(['webhooks', 'delete', id])).status, 0);
    assert.equal((await coffer(['webhooks', 'get', id])).status, 5);
    const refused = await coffer(['webhooks', 'create', 'not-a-url']);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /server answered 400: .*url/);
  });

  it('prints the change feed after a cursor, and follows it', async () => {
    const first = await json(['events', '--path-prefix', '/feed']) as { events: unknown[]; next_cursor: string };
    assert.deepEqual(first.events, []);
    const id = await scalewayHttp(server).createSecret({ name: 'a', path: '/feed', project_id: server.projectId });
    const page = await json(['events', '--since', first.next_cursor, '--path-prefix', '/feed']) as { events: { secret_id: string; type: string }[]; next_cursor: string };
    assert.deepEqual(page.events.map((event) => `${event.type} ${event.secret_id}`), [`secret.created ${id}`]);
    assert.equal((await json(['events', '--since', page.next_cursor, '--path-prefix', '/feed']) as { events: unknown[] }).events.length, 0);

    const follower = spawn(process.execPath, [...entry, 'events', '--follow', '--interval', '0.2', '--since', page.next_cursor, '--path-prefix', '/feed', '--output', 'json'], { env: env() });
    let output = '';
    follower.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const later = await scalewayHttp(server).createSecret({ name: 'b', path: '/feed', project_id: server.projectId });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the follower printed nothing: ${output}`)), 30_000);
        follower.stdout.on('data', () => {
          if (output.includes(later)) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const lines = output.trim().split('\n').map((line) => JSON.parse(line) as { secret_id: string; type: string });
      assert.deepEqual(lines.map((event) => `${event.type} ${event.secret_id}`), [`secret.created ${later}`]);
    } finally {
      follower.kill();
    }
  });
});
