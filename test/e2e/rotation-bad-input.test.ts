import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';

const SCW = '/secret-manager/v1beta1/regions/fr-par';
const COFFER = '/coffer/v1/regions/fr-par/secrets';
type Json = Record<string, unknown>;

/** Every refusal is a 4xx in Scaleway's error shape naming the field, and leaves the policy as it was. */
describe('rotation: bad input', () => {
  let server: TestServer;
  let basic = '';
  let keyValue = '';
  let sshKey = '';

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'x-auth-token': server.secretKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: (text === '' ? null : JSON.parse(text)) as Json };
  };
  const secretOf = async (name: string, type: string, value?: unknown) => {
    const created = await call('POST', `${SCW}/secrets`, { name, type, project_id: server.projectId });
    const id = String(created.json.id);
    if (value !== undefined) {
      await call('POST', `${SCW}/secrets/${id}/versions`, { data: Buffer.from(JSON.stringify(value)).toString('base64') });
    }
    return id;
  };

  before(async () => {
    server = await startServer();
    basic = await secretOf('basic', 'basic_credentials', { username: 'u', password: 'p' });
    keyValue = await secretOf('kv', 'key_value', { a: 'b' });
    sshKey = await secretOf('ssh', 'ssh_key', { ssh_private_key: 'not really a key' });
  });
  after(async () => server.stop());

  it('refuses bad policies with 400 invalid_arguments naming the field', async () => {
    const generator = { kind: 'password' };
    const cases: [string, () => string, unknown, string][] = [
      ['interval under an hour', () => basic, { interval: '30m', generator }, 'interval'],
      ['interval not a duration', () => basic, { interval: 'monthly', generator }, 'interval'],
      ['interval missing', () => basic, { generator }, 'interval'],
      ['no method', () => basic, { interval: '24h' }, 'method'],
      ['two methods', () => basic, { interval: '24h', generator, webhook: { url: 'https://example.com/' } }, 'method'],
      ['unknown generator', () => basic, { interval: '24h', generator: { kind: 'uuid' } }, 'generator.kind'],
      ['unknown field', () => basic, { interval: '24h', generator, colour: 'blue' }, 'body'],
      ['password too short', () => basic, { interval: '24h', generator: { kind: 'password', length: 4 } }, 'generator.length'],
      ['no character class', () => basic, { interval: '24h', generator: { kind: 'password', lower: false, upper: false, digits: false } }, 'generator.classes'],
      ['random bytes too long', () => basic, { interval: '24h', generator: { kind: 'random_bytes', length: 5000 } }, 'generator.length'],
      ['bad API key prefix', () => basic, { interval: '24h', generator: { kind: 'api_key', prefix: 'a b' } }, 'generator.prefix'],
      ['generator on an ssh_key', () => sshKey, { interval: '24h', generator }, 'generator'],
      ['key_value without a key', () => keyValue, { interval: '24h', generator }, 'generator.key'],
      ['key on a typed secret', () => basic, { interval: '24h', generator: { kind: 'password', key: 'password' } }, 'generator.key'],
      ['webhook not http', () => basic, { interval: '24h', webhook: { url: 'ftp://example.com/' } }, 'webhook.url'],
      ['webhook URL with a password', () => basic, { interval: '24h', webhook: { url: 'https://user:pw@example.com/' } }, 'webhook.url'],
      ['webhook relative URL', () => basic, { interval: '24h', webhook: { url: '/rotate' } }, 'webhook.url'],
      ['no attempts', () => basic, { interval: '24h', webhook: { url: 'https://example.com/', max_attempts: 0 } }, 'webhook.max_attempts'],
      ['bad next rotation time', () => basic, { interval: '24h', generator, next_rotation_at: 'tomorrow' }, 'next_rotation_at'],
      ['next rotation in the year 9999', () => basic, { interval: '24h', generator, next_rotation_at: '9999-12-31T23:59:59Z' }, 'next_rotation_at'],
    ];
    const wrong: string[] = [];
    for (const [name, target, body, field] of cases) {
      const answer = await call('PUT', `${COFFER}/${target()}/rotation-policy`, body);
      const details = (answer.json.details ?? []) as { argument_name: string }[];
      if (answer.status !== 400 || answer.json.type !== 'invalid_arguments' || details[0]?.argument_name !== field) {
        wrong.push(`${name}: ${answer.status} ${JSON.stringify(answer.json)}`);
      }
    }
    assert.deepEqual(wrong, []);
    for (const id of [basic, keyValue, sshKey]) {
      assert.equal((await call('GET', `${COFFER}/${id}/rotation-policy`)).json.policy, null, 'nothing was written');
    }
  });

  it('refuses a body that is not JSON, and an unknown secret or region', async () => {
    assert.equal((await call('PUT', `${COFFER}/${basic}/rotation-policy`, '{"interval":')).status, 400);
    const missing = await call('GET', `${COFFER}/00000000-0000-4000-8000-000000000000/rotation-policy`);
    assert.deepEqual([missing.status, missing.json.type], [404, 'not_found']);
    assert.equal((await call('GET', `${COFFER}/not-a-uuid/rotation-policy`)).status, 400);
    assert.equal((await call('GET', `/coffer/v1/regions/xx-nowhere/secrets/${basic}/rotation-policy`)).status, 400);
  });

  it('refuses rotate-now without a policy or a generator, and a generator when a policy decides', async () => {
    const none = await call('POST', `${COFFER}/${basic}/rotate`);
    assert.deepEqual([none.status, none.json.precondition], [412, 'rotation_policy_missing']);
    assert.equal((await call('POST', `${COFFER}/${sshKey}/rotate`, { generator: { kind: 'password' } })).status, 400);
    assert.equal((await call('PUT', `${COFFER}/${basic}/rotation-policy`, { interval: '24h', generator: { kind: 'password' } })).status, 200);
    assert.equal((await call('POST', `${COFFER}/${basic}/rotate`, { generator: { kind: 'password' } })).status, 400);
    assert.equal((await call('DELETE', `${COFFER}/${basic}/rotation-policy`)).status, 204);
    assert.equal((await call('DELETE', `${COFFER}/${basic}/rotation-policy`)).status, 204, 'clearing is idempotent');
    assert.equal((await call('GET', `${COFFER}/${basic}/rotation-policy`)).json.policy, null);
  });

  it('rotates a key_value secret once by a generator given with rotate-now', async () => {
    const run = await call('POST', `${COFFER}/${keyValue}/rotate`, { generator: { kind: 'random_bytes', length: 16, encoding: 'hex', key: 'token' } });
    assert.deepEqual([run.status, run.json.outcome, run.json.revision], [200, 'rotated', 2]);
    const accessed = await call('GET', `${SCW}/secrets/${keyValue}/versions/latest/access`);
    const value = JSON.parse(Buffer.from(String(accessed.json.data), 'base64').toString()) as Record<string, string>;
    assert.equal(value.a, 'b');
    assert.match(value.token ?? '', /^[0-9a-f]{32}$/);
  });

  it('refuses to rotate a disabled secret now, naming why, and leaves its policy state untouched', async () => {
    const id = await secretOf('resting', 'basic_credentials', { username: 'u', password: 'p' });
    assert.equal((await call('PUT', `${COFFER}/${id}/rotation-policy`, { interval: '24h', generator: { kind: 'password' } })).status, 200);
    assert.equal((await call('POST', `/coffer/v1/regions/fr-par/secrets/${id}/disable`)).status, 200);
    const answer = await call('POST', `${COFFER}/${id}/rotate`);
    assert.deepEqual([answer.status, answer.json.precondition], [412, 'secret_not_rotatable']);
    assert.match(String(answer.json.help_message), /disabled/);
    const state = (await call('GET', `${COFFER}/${id}/rotation-policy`)).json.state as Json;
    assert.deepEqual([state.attempts, state.last_failure, state.last_attempt_at], [0, null, null]);
  });

  it('refuses a secret scheduled for deletion', async () => {
    const id = await secretOf('going', 'opaque');
    assert.equal((await call('DELETE', `${SCW}/secrets/${id}`)).status, 204);
    const answer = await call('PUT', `${COFFER}/${id}/rotation-policy`, { interval: '24h', generator: { kind: 'password' } });
    assert.deepEqual([answer.status, answer.json.precondition], [412, 'secret_scheduled_for_deletion']);
  });
});
