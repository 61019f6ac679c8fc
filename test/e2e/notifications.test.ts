import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cofferHttp, readFeed } from '../helpers/coffer-http.js';
import { scalewayHttp } from '../helpers/scaleway-http.js';
import { advanceAndRun, handledBy, runScheduler, TEST_CLOCK_ENV } from '../helpers/scheduler.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** What a receiver does with the shown secret: recompute the signature over "<timestamp>.<body>". */
const verifies = (secret: string, headers: Record<string, unknown>, body: string): boolean => {
  const expected = `v1=${createHmac('sha256', secret).update(`${String(headers['x-coffer-timestamp'])}.${body}`).digest('hex')}`;
  return headers['x-coffer-signature'] === expected;
};

describe('lifecycle events: webhooks and the change feed (SQLite)', () => {
  let server: TestServer;
  let receivers: WebhookReceiver[] = [];
  const receiver = async () => {
    const started = await startWebhookReceiver();
    receivers.push(started);
    return started;
  };

  before(async () => {
    server = await startServer({ env: TEST_CLOCK_ENV });
  });
  after(async () => {
    await Promise.all(receivers.map((item) => item.close()));
    receivers = [];
    await server.stop();
  });

  it('refuses a bad URL, an unknown event type or a bad path prefix with a 400 in Coffer’s error shape', async () => {
    const call = cofferHttp(server);
    for (const body of [
      { url: 'not a url' },
      { url: 'ftp://example.com/hook' },
      { url: 'http://127.0.0.1:1/hook', event_types: ['secret.exploded'] },
      { url: 'http://127.0.0.1:1/hook', path_prefix: 'no-slash' },
      { url: 'http://127.0.0.1:1/hook', project_id: 'not-a-uuid' },
      {},
    ]) {
      const answer = await call('POST', '/webhooks', body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.json.type, 'invalid_arguments', JSON.stringify(answer.json));
    }
    const feed = await call('GET', '/regions/fr-par/events?type=secret.exploded');
    assert.equal(feed.status, 400);
    assert.equal(feed.json.type, 'invalid_arguments');
    assert.equal((await call('GET', '/regions/fr-par/events?since=abc')).status, 400);
    assert.equal((await call('GET', '/regions/fr-par/events?page_size=0')).status, 400);
    assert.equal((await call('GET', `/webhooks/${randomUUID()}`)).status, 404);
  });

  it('signs each delivery so that the secret shown once verifies it; the secret is never shown again', async () => {
    const hook = await receiver();
    const call = cofferHttp(server);
    const created = await call('POST', '/webhooks', { url: hook.url, description: 'signature check' });
    assert.equal(created.status, 200);
    const secret = String(created.json.signing_secret);
    assert.match(secret, /^whsec_/);
    const shown = await call('GET', `/webhooks/${String(created.json.id)}`);
    assert.equal(JSON.stringify(shown.json).includes(secret), false);
    assert.equal((await call('GET', '/webhooks')).json.webhooks !== undefined, true);

    const id = await scalewayHttp(server).createSecret({ name: `signed-${randomUUID().slice(0, 8)}`, project_id: server.projectId });
    const pass = await runScheduler(server);
    assert.ok(handledBy(pass, 'webhook-delivery') >= 1);
    const delivery = hook.received.find((request) => request.json.secret_id === id);
    assert.ok(delivery, 'the receiver got the event');
    assert.equal(delivery.json.type, 'secret.created');
    assert.equal(delivery.headers['x-coffer-event-id'], delivery.json.id);
    assert.equal(delivery.headers['idempotency-key'], delivery.json.id);
    assert.ok(verifies(secret, delivery.headers, delivery.body), 'the signature verifies with the shown secret');
    assert.equal(verifies('whsec_wrong', delivery.headers, delivery.body), false);
    assert.equal(verifies(secret, delivery.headers, delivery.body.replace('secret.created', 'secret.purged')), false);

    const ping = await call('POST', `/webhooks/${String(created.json.id)}/test`, {});
    assert.deepEqual(ping.json, { delivered: true, status_code: 200, error: null });
    const received = hook.received.at(-1);
    assert.ok(received && received.json.type === 'webhook.test' && verifies(secret, received.headers, received.body));
    assert.equal((await call('DELETE', `/webhooks/${String(created.json.id)}`)).status, 204);
    assert.equal((await call('GET', `/webhooks/${String(created.json.id)}`)).status, 404);
  });

  it('filters deliveries by event type, project and path prefix', async () => {
    const call = cofferHttp(server);
    const other = await fetch(`${server.url}/account/v3/projects`, {
      method: 'POST',
      headers: { 'x-auth-token': server.secretKey, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'other', organization_id: server.organizationId }),
    });
    const otherProject = String(((await other.json()) as { id: string }).id);
    const [byType, byProject, byPath] = [await receiver(), await receiver(), await receiver()];
    await call('POST', '/webhooks', { url: byType.url, event_types: ['version.created'] });
    await call('POST', '/webhooks', { url: byProject.url, project_id: otherProject });
    await call('POST', '/webhooks', { url: byPath.url, path_prefix: '/prod' });
    const scw = scalewayHttp(server);
    const prod = await scw.createSecret({ name: 'db', path: '/prod', project_id: server.projectId });
    await scw.addVersion(prod, 'one');
    const production = await scw.createSecret({ name: 'db', path: '/production', project_id: server.projectId });
    const elsewhere = await scw.createSecret({ name: 'api', path: '/dev', project_id: otherProject });
    await runScheduler(server);
    const seen = (hook: WebhookReceiver) => hook.received.map((request) => `${String(request.json.type)} ${String(request.json.secret_id)}`);
    assert.deepEqual(seen(byType), [`version.created ${prod}`]);
    assert.deepEqual(seen(byProject), [`secret.created ${elsewhere}`]);
    assert.deepEqual(seen(byPath), [`secret.created ${prod}`, `version.created ${prod}`]);
    assert.equal(seen(byPath).some((line) => line.endsWith(production)), false);
  });

  it('records every lifecycle change, through the Scaleway, Vault and Coffer APIs, in the feed in order', async () => {
    const scw = scalewayHttp(server);
    const call = cofferHttp(server);
    const start = (await readFeed(server, '')).cursor;
    const id = await scw.createSecret({ name: `life-${randomUUID().slice(0, 8)}`, project_id: server.projectId });
    await scw.call('PATCH', `/secrets/${id}`, { description: 'changed' });
    await scw.addVersion(id, 'v1');
    await scw.call('POST', `/secrets/${id}/versions/1/disable`);
    await scw.call('POST', `/secrets/${id}/versions/1/enable`);
    assert.equal((await call('POST', `/regions/fr-par/secrets/${id}/disable`, {})).status, 200);
    assert.equal((await call('POST', `/regions/fr-par/secrets/${id}/enable`, {})).status, 200);
    await scw.call('DELETE', `/secrets/${id}`);
    await scw.call('POST', `/secrets/${id}/restore`);
    const vault = async (method: string, path: string, body?: unknown) =>
      fetch(`${server.url}/v1/secret/${path}`, { method, headers: { 'x-vault-token': server.secretKey, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const key = `kv-${randomUUID().slice(0, 8)}`;
    assert.equal((await vault('POST', `data/${key}`, { data: { a: '1' } })).status, 200);
    assert.equal((await vault('DELETE', `data/${key}`)).status, 204);
    const { events } = await readFeed(server, `&project_id=${server.projectId}`, 3, start);
    const mine = events.filter((event) => event.secret_id === id).map((event) => `${String(event.type)}${event.revision === null ? '' : ` ${String(event.revision)}`}`);
    assert.deepEqual(mine, [
      'secret.created',
      'secret.updated',
      'version.created 1',
      'version.disabled 1',
      'version.enabled 1',
      'secret.disabled',
      'secret.enabled',
      'secret.scheduled_for_deletion',
      'secret.restored',
    ]);
    const kv = events.filter((event) => event.path === `/${key}`).map((event) => String(event.type));
    assert.deepEqual(kv, ['secret.created', 'version.created', 'version.disabled']);
    const text = JSON.stringify(events);
    assert.equal(text.includes(b64('v1')) || text.includes('"a":"1"'), false, 'no payload in events');
  });

  it('records what the scheduler does: the purge at the end of the deletion window', async () => {
    const scw = scalewayHttp(server);
    const id = await scw.createSecret({ name: `purged-${randomUUID().slice(0, 8)}`, project_id: server.projectId });
    await scw.addVersion(id, 'gone soon');
    assert.equal((await scw.call('DELETE', `/secrets/${id}`)).status, 204);
    await advanceAndRun(server, 31 * 86_400);
    const { events } = await readFeed(server, '', 500);
    assert.deepEqual(events.filter((event) => event.secret_id === id).map((event) => event.type), ['secret.created', 'version.created', 'secret.scheduled_for_deletion', 'secret.purged']);
  });

  it('gives up on a receiver that does not answer after a short timeout, and retries later', async () => {
    const hook = await receiver();
    hook.answer(0);
    const call = cofferHttp(server);
    const created = await call('POST', '/webhooks', { url: hook.url, path_prefix: '/hanging' });
    await scalewayHttp(server).createSecret({ name: 'db', path: '/hanging', project_id: server.projectId });
    await runScheduler(server);
    const state = await call('GET', `/webhooks/${String(created.json.id)}`);
    const delivery = state.json.delivery as Record<string, unknown>;
    assert.deepEqual([delivery.attempts, delivery.last_error], [1, 'timeout']);
    assert.equal(hook.received.length, 0);
    hook.answer(200);
    await advanceAndRun(server, 60);
    assert.deepEqual(hook.received.map((request) => request.json.type), ['secret.created']);
  });

  it('paginates the feed in order and resumes from a cursor', async () => {
    const scw = scalewayHttp(server);
    const all = await readFeed(server, '', 500);
    const paged = await readFeed(server, '', 2);
    assert.deepEqual(paged.events.map((event) => event.id), all.events.map((event) => event.id));
    const cursors = paged.events.map((event) => Number(event.cursor));
    assert.deepEqual(cursors, [...cursors].sort((a, b) => a - b));
    assert.equal(new Set(cursors).size, cursors.length);
    const id = await scw.createSecret({ name: `resume-${randomUUID().slice(0, 8)}`, project_id: server.projectId });
    const resumed = await readFeed(server, '', 2, paged.cursor);
    assert.deepEqual(resumed.events.map((event) => `${String(event.type)} ${String(event.secret_id)}`), [`secret.created ${id}`]);
    const types = await readFeed(server, '&type=version.created,secret.restored', 50);
    assert.ok(types.events.length > 0 && types.events.every((event) => event.type === 'version.created' || event.type === 'secret.restored'));
  });

  it('refuses the feed and webhooks to a key without the rights, and serves the feed to a read-only one', async () => {
    const admin = cofferHttp(server);
    const iam = async (path: string, body: unknown) => {
      const response = await fetch(`${server.url}/iam/v1alpha1${path}`, { method: 'POST', headers: { 'x-auth-token': server.secretKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return (await response.json()) as Record<string, string>;
    };
    const application = await iam('/applications', { name: 'reader', organization_id: server.organizationId });
    await iam('/policies', { name: 'reader', organization_id: server.organizationId, application_id: application.id, rules: [{ permission_set_names: ['SecretManagerReadOnly'], organization_id: server.organizationId }] });
    const key = await iam('/api-keys', { application_id: application.id });
    const reader = cofferHttp(server, String(key.secret_key));
    assert.equal((await reader('GET', '/regions/fr-par/events')).status, 200);
    const refused = await reader('POST', '/webhooks', { url: 'http://127.0.0.1:1/hook' });
    assert.equal(refused.status, 403);
    assert.equal(refused.json.type, 'permissions_denied');
    assert.equal((await admin('GET', '/webhooks')).status, 200);
  });

  it('delivers every event, in order, to a consumer that was down, after the server restarted with deliveries pending', async () => {
    const hook = await receiver();
    // Its own server and data directory, which outlive the process being stopped.
    const dataDir = mkdtempSync(join(tmpdir(), 'coffer-outage-'));
    let server = await startServer({ env: TEST_CLOCK_ENV, dataDir });
    let call = cofferHttp(server);
    const created = await call('POST', '/webhooks', { url: hook.url, path_prefix: '/outage' });
    const webhookId = String(created.json.id);
    const secret = String(created.json.signing_secret);
    // A healthy subscriber to the same events is not held up by the one that is down.
    const healthy = await receiver();
    await call('POST', '/webhooks', { url: healthy.url, path_prefix: '/outage' });
    await hook.down();
    const scw = scalewayHttp(server);
    const id = await scw.createSecret({ name: 'db', path: '/outage', project_id: server.projectId });
    for (const value of ['a', 'b', 'c', 'd']) {
      await scw.addVersion(id, value);
    }
    await scw.call('POST', `/secrets/${id}/versions/2/disable`);
    await runScheduler(server);
    assert.equal(hook.received.length, 0);
    assert.equal(healthy.received.length, 6);
    let state = await call('GET', `/webhooks/${webhookId}`);
    assert.equal((state.json.delivery as Record<string, unknown>).attempts, 1);
    assert.ok(String((state.json.delivery as Record<string, unknown>).last_error).length > 0);

    // Up again but failing with 500s, long enough to be marked failing; nothing is dropped.
    await hook.up();
    hook.answer(500);
    for (let pass = 0; pass < 10; pass += 1) {
      await advanceAndRun(server, 3_600);
    }
    state = await call('GET', `/webhooks/${webhookId}`);
    assert.equal(state.json.status, 'failing');
    assert.equal((state.json.delivery as Record<string, unknown>).last_error, 'HTTP 500');
    assert.equal(hook.received.length, 0);

    // Stopped while deliveries are pending, started again on the same data directory.
    await hook.down();
    await server.stop();
    server = await startServer({ env: TEST_CLOCK_ENV, dataDir, identity: server });
    call = cofferHttp(server);
    await hook.up();
    hook.answer(200);
    // The restarted test clock starts at real time again: move past the ten hours moved before and the longest backoff.
    await advanceAndRun(server, 86_400);
    const expected = (await readFeed(server, '&path_prefix=/outage', 100)).events;
    assert.deepEqual(hook.received.map((request) => request.json.id), expected.map((event) => event.id));
    assert.deepEqual(hook.received.map((request) => `${String(request.json.type)} ${String(request.json.revision)}`), [
      'secret.created null',
      'version.created 1',
      'version.created 2',
      'version.created 3',
      'version.created 4',
      'version.disabled 2',
    ]);
    assert.ok(hook.received.every((request) => verifies(secret, request.headers, request.body)));
    state = await call('GET', `/webhooks/${webhookId}`);
    assert.equal(state.json.status, 'active');
    assert.equal((state.json.delivery as Record<string, unknown>).attempts, 0);
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
});
