import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startRotationReceiver, type RotationReceiver } from '../helpers/rotation-receiver.js';
import { advanceAndRun, handledBy, runScheduler, TEST_CLOCK_ENV } from '../helpers/scheduler.js';
import { startServer, type TestServer } from '../helpers/server.js';

const SCW = '/secret-manager/v1beta1/regions/fr-par';
const COFFER = '/coffer/v1/regions/fr-par/secrets';
type Json = Record<string, unknown>;

/** Rotation over HTTP: generators, a signed webhook against a real receiver, retries on the test clock. */
describe('secret rotation', () => {
  let server: TestServer;
  let receiver: RotationReceiver;
  const issuedSigningSecrets: string[] = [];

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'x-auth-token': server.secretKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: (text === '' ? null : JSON.parse(text)) as Json };
  };
  const ok = async (method: string, path: string, body?: unknown): Promise<Json> => {
    const answer = await call(method, path, body);
    assert.ok(answer.status >= 200 && answer.status < 300, `${method} ${path}: ${answer.status} ${JSON.stringify(answer.json)}`);
    return answer.json;
  };
  const newSecret = async (name: string, type: string, value: unknown): Promise<string> => {
    const created = await ok('POST', `${SCW}/secrets`, { name, type, project_id: server.projectId });
    const id = String(created.id);
    const data = typeof value === 'string' ? value : JSON.stringify(value);
    await ok('POST', `${SCW}/secrets/${id}/versions`, { data: Buffer.from(data).toString('base64') });
    return id;
  };
  const latest = async (id: string): Promise<{ revision: number; data: string }> => {
    const accessed = await ok('GET', `${SCW}/secrets/${id}/versions/latest/access`);
    return { revision: Number(accessed.revision), data: Buffer.from(String(accessed.data), 'base64').toString('utf8') };
  };
  const stateOf = async (id: string) => (await ok('GET', `${COFFER}/${id}/rotation-policy`)).state as Json;
  const webhookPolicy = async (id: string, maxAttempts: number): Promise<void> => {
    const set = await ok('PUT', `${COFFER}/${id}/rotation-policy`, { interval: '24h', webhook: { url: receiver.url, max_attempts: maxAttempts } });
    assert.match(String(set.signing_secret), /^whsec_[A-Za-z0-9_-]{43}$/);
    issuedSigningSecrets.push(String(set.signing_secret));
    receiver.useSigningSecret(id, String(set.signing_secret));
  };

  before(async () => {
    receiver = await startRotationReceiver();
    server = await startServer({ env: TEST_CLOCK_ENV });
  });
  after(async () => {
    await server.stop();
    await receiver.close();
  });

  it('rotates a password now with a generator, keeping the user name, and shows the policy and state', async () => {
    const id = await newSecret('db-login', 'basic_credentials', { username: 'app', password: 'initial' });
    const set = await ok('PUT', `${COFFER}/${id}/rotation-policy`, { interval: '720h', generator: { kind: 'password', length: 24, symbols: true } });
    assert.equal(set.signing_secret, null, 'generators have no signing secret');
    const policy = set.policy as Json;
    assert.equal(policy.interval_seconds, 720 * 3600);
    assert.equal(policy.method, 'generator');
    assert.deepEqual((policy.generator as Json).classes, ['lower', 'upper', 'digits', 'symbols']);
    const run = await ok('POST', `${COFFER}/${id}/rotate`);
    assert.equal(run.outcome, 'rotated');
    assert.equal(run.revision, 2);
    const value = JSON.parse((await latest(id)).data) as { username: string; password: string };
    assert.equal(value.username, 'app');
    assert.equal(value.password.length, 24);
    assert.notEqual(value.password, 'initial');
    for (const pattern of [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/]) {
      assert.match(value.password, pattern);
    }
    const state = await stateOf(id);
    assert.equal(state.last_revision, 2);
    assert.equal(state.last_failure, null);
    assert.equal(typeof state.last_rotated_at, 'string');
  });

  it('rotates on schedule: the scheduler rotates a due policy once, then waits for the next interval', async () => {
    const id = await newSecret('service-key', 'api_key', { header_name: 'X-API-Key', value: 'old' });
    await ok('PUT', `${COFFER}/${id}/rotation-policy`, { interval: '1h', generator: { kind: 'api_key', prefix: 'ck_', length: 32 } });
    await runScheduler(server);
    assert.equal((await latest(id)).revision, 1, 'not due yet');
    const pass = await advanceAndRun(server, 3601);
    assert.ok(handledBy(pass, 'rotation') >= 1, JSON.stringify(pass));
    const rotated = await latest(id);
    assert.equal(rotated.revision, 2);
    assert.match((JSON.parse(rotated.data) as { value: string }).value, /^ck_[0-9A-Za-z]{32}$/);
    await runScheduler(server);
    assert.equal((await latest(id)).revision, 2, 'one rotation per interval');
    await advanceAndRun(server, 3601);
    assert.equal((await latest(id)).revision, 3);
  });

  it('signs the webhook request, sends no payload, and stores the value the receiver returns', async () => {
    const id = await newSecret('partner-token', 'bearer_token', { header_value: 'Bearer first-token' });
    await webhookPolicy(id, 3);
    receiver.plan([{ status: 200, body: { value: { header_value: 'Bearer from-receiver' } } }]);
    const run = await ok('POST', `${COFFER}/${id}/rotate`);
    assert.equal(run.outcome, 'rotated', JSON.stringify(run));
    const [received] = receiver.calls;
    assert.ok(received?.signatureValid, 'the receiver verified the HMAC-SHA256 signature');
    assert.equal(received.headers['idempotency-key'], run.rotation_id);
    assert.deepEqual(Object.keys(received.body).sort(), ['attempt', 'current_revision', 'full_path', 'name', 'path', 'project_id', 'region', 'rotation_id', 'secret_id', 'type']);
    assert.equal(received.body.current_revision, 1);
    assert.ok(!received.rawBody.includes('first-token'), 'the current payload never leaves');
    assert.deepEqual(JSON.parse((await latest(id)).data), { header_value: 'Bearer from-receiver' });
    const policy = await ok('GET', `${COFFER}/${id}/rotation-policy`);
    assert.ok(!JSON.stringify(policy).includes('whsec_'), 'the signing secret is shown once, never again');
  });

  it('retries a receiver that fails twice, with the same idempotency key, and adds exactly one version', async () => {
    const id = await newSecret('flaky', 'database_credentials', { engine: 'postgres', username: 'u', password: 'p0', host: 'db', dbname: 'app', port: '5432' });
    await webhookPolicy(id, 5);
    receiver.plan([{ status: 500 }, { status: 503 }, { status: 200, body: { value: JSON.stringify({ engine: 'postgres', username: 'u', password: 'p1', host: 'db', dbname: 'app', port: '5432' }) } }]);
    const first = await ok('POST', `${COFFER}/${id}/rotate`);
    assert.equal(first.outcome, 'retrying');
    assert.equal((first.failure as Json).reason, 'webhook_status');
    const during = await stateOf(id);
    assert.equal(during.attempts, 1);
    assert.equal(during.rotation_in_progress, true);
    assert.equal((during.last_failure as Json).reason, 'webhook_status');
    await advanceAndRun(server, 29);
    assert.equal(receiver.calls.length, 1, 'the first retry waits 30 s');
    await advanceAndRun(server, 2);
    assert.equal(receiver.calls.length, 2);
    await advanceAndRun(server, 61);
    assert.equal(receiver.calls.length, 3);
    const keys = new Set(receiver.calls.map((received) => received.headers['idempotency-key']));
    assert.deepEqual([...keys], [first.rotation_id], 'one idempotency key across the retries');
    assert.deepEqual(receiver.calls.map((received) => received.body.attempt), [1, 2, 3]);
    assert.ok(receiver.calls.every((received) => received.signatureValid));
    const rotated = await latest(id);
    assert.equal(rotated.revision, 2, 'one new version');
    assert.equal((JSON.parse(rotated.data) as { password: string }).password, 'p1');
    const after = await stateOf(id);
    assert.equal(after.rotation_in_progress, false);
    assert.equal(after.last_revision, 2);
    await advanceAndRun(server, 3600);
    assert.equal(receiver.calls.length, 3, 'nothing more until the next interval');
  });

  it('keeps the current version in service when the receiver never succeeds, and records the failure', async () => {
    const id = await newSecret('doomed', 'api_key', { value: 'still-good' });
    await webhookPolicy(id, 3);
    receiver.plan([], { status: 502 });
    assert.equal((await ok('POST', `${COFFER}/${id}/rotate`)).outcome, 'retrying');
    await advanceAndRun(server, 31);
    await advanceAndRun(server, 61);
    assert.equal(receiver.calls.length, 3);
    const state = await stateOf(id);
    assert.equal(state.rotation_in_progress, false);
    assert.deepEqual({ ...(state.last_failure as Json), at: null }, { at: null, reason: 'webhook_status', message: 'the webhook answered HTTP 502', attempts: 3 });
    assert.deepEqual(await latest(id), { revision: 1, data: JSON.stringify({ value: 'still-good' }) });
    const policy = (await ok('GET', `${COFFER}/${id}/rotation-policy`)).policy as Json;
    const nextAt = Date.parse(String(policy.next_rotation_at));
    const failedAt = Date.parse(String((state.last_failure as Json).at));
    assert.equal(Math.round((nextAt - failedAt) / 1000), 24 * 3600, 'the next regular rotation is one interval after the failure');
    await advanceAndRun(server, 3600);
    assert.equal(receiver.calls.length, 3, 'no more attempts before then');
    const feed = await ok('GET', `/coffer/v1/regions/fr-par/events?type=secret.rotation_failed,secret.rotated`);
    const mine = (feed.events as Json[]).filter((event) => event.secret_id === id);
    assert.deepEqual(
      mine.map((event) => [event.type, (event.details as Json).reason, (event.details as Json).attempts]),
      [['secret.rotation_failed', 'webhook_status', 3]],
      'one notification, once the retries are spent',
    );
  });

  it('publishes secret.rotated with the new revision to the change feed', async () => {
    const feed = await ok('GET', `/coffer/v1/regions/fr-par/events?type=secret.rotated`);
    const rotated = (feed.events as Json[]).filter((event) => event.path === '/db-login');
    assert.deepEqual(rotated.map((event) => [event.revision, (event.details as Json).method]), [[2, 'generator']]);
  });

  it('records success when the receiver rotates the secret itself and answers 204', async () => {
    const id = await newSecret('self-service', 'opaque', 'v1');
    await webhookPolicy(id, 2);
    receiver.plan([
      async () => {
        // The receiver adds the version through the API, as a user's function would.
        await ok('POST', `${SCW}/secrets/${id}/versions`, { data: Buffer.from('v2-by-receiver').toString('base64') });
        return { status: 204 };
      },
    ]);
    const run = await ok('POST', `${COFFER}/${id}/rotate`);
    assert.deepEqual([run.outcome, run.revision, run.rotated_by_receiver], ['rotated', 2, true]);
    assert.equal((await latest(id)).data, 'v2-by-receiver');
  });

  it('refuses a receiver that answers a value of the wrong shape, keeping the current version', async () => {
    const id = await newSecret('strict', 'basic_credentials', { username: 'a', password: 'b' });
    await webhookPolicy(id, 3);
    receiver.plan([{ status: 200, body: { value: { username: 'a' } } }]);
    const run = await ok('POST', `${COFFER}/${id}/rotate`);
    assert.equal(run.outcome, 'failed', 'a wrong value is not retried');
    assert.equal((run.failure as Json).reason, 'invalid_value');
    assert.equal((await latest(id)).revision, 1);
  });

  it('keeps signing secrets sealed in the store', () => {
    assert.ok(issuedSigningSecrets.length >= 4);
    const files = readdirSync(server.dataDir).filter((name) => name.endsWith('.db') || name.endsWith('-wal'));
    assert.ok(files.length > 0);
    for (const name of files) {
      const bytes = readFileSync(join(server.dataDir, name));
      for (const secret of issuedSigningSecrets) {
        assert.ok(!bytes.includes(secret) && !bytes.includes(secret.slice(6)), `${name} holds a signing secret in clear`);
      }
    }
  });
});
