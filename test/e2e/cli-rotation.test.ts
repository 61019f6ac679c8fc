import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, cleanEnv, cofferResult, SCW, seedSecret } from '../cli/helpers.js';
import { startRotationReceiver, type RotationReceiver } from '../helpers/rotation-receiver.js';
import { startServer, type TestServer } from '../helpers/server.js';

type Json = Record<string, unknown>;

/** `coffer secret rotate` and `coffer secret rotation set|show|clear` against a real server and receiver. */
describe('coffer secret rotate and rotation', () => {
  let server: TestServer;
  let receiver: RotationReceiver;
  let env: Record<string, string>;

  // Asynchronous: the receiver in this process must answer while the CLI waits.
  const run = (...args: string[]) => cofferResult(args, env);
  const json = async (...args: string[]): Promise<Json> => {
    const result = await run(...args, '--output', 'json');
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout) as Json;
  };
  const latestPassword = async (id: string): Promise<string> => {
    const accessed = await api(server, 'GET', `${SCW}/secrets/${id}/versions/latest/access`);
    return (JSON.parse(Buffer.from(String(accessed.data), 'base64').toString()) as { password: string }).password;
  };

  before(async () => {
    receiver = await startRotationReceiver();
    server = await startServer();
    env = cleanEnv({ COFFER_ADDR: server.url, COFFER_SECRET_KEY: server.secretKey, COFFER_PROJECT_ID: server.projectId, COFFER_REGION: 'fr-par' });
  });
  after(async () => {
    await server.stop();
    await receiver.close();
  });

  it('sets a generator policy, shows it, rotates by path and prints the new revision, then clears it', async () => {
    const id = await seedSecret(server, { name: 'db', path: '/prod', type: 'basic_credentials' }, '{"username":"app","password":"first"}');
    const set = await json('secret', 'rotation', 'set', '/prod/db', '--interval', '30d', '--generator', 'password', '--length', '40', '--symbols');
    assert.deepEqual([(set.policy as Json).interval, ((set.policy as Json).generator as Json).length], ['720h0m0s', 40]);
    const shown = await run('secret', 'rotation', 'show', id);
    assert.equal(shown.status, 0, shown.stderr);
    assert.match(shown.stdout, /interval\s+720h0m0s/);
    assert.match(shown.stdout, /method\s+generator .*"kind":"password"/);
    const rotated = await run('secret', 'rotate', '/prod/db');
    assert.equal(rotated.status, 0, rotated.stderr);
    assert.match(rotated.stdout, /outcome\s+rotated/);
    assert.match(rotated.stdout, /revision\s+2/);
    const password = await latestPassword(id);
    assert.equal(password.length, 40);
    assert.ok(!rotated.stdout.includes(password), 'the new value is not printed');
    assert.match((await run('secret', 'rotation', 'show', id)).stdout, /last_revision\s+2/);
    assert.equal((await run('secret', 'rotation', 'clear', '/prod/db')).status, 0);
    assert.match((await run('secret', 'rotation', 'show', id)).stdout, /policy\s+none/);
  });

  it('rotates once by --generator a secret without a policy', async () => {
    const id = await seedSecret(server, { name: 'once', type: 'key_value' }, '{"password":"first","user":"u"}');
    const run1 = await json('secret', 'rotate', id, '--generator', 'random_bytes', '--encoding', 'hex', '--length', '20', '--key', 'password');
    assert.deepEqual([run1.outcome, run1.revision], ['rotated', 2]);
    assert.match(await latestPassword(id), /^[0-9a-f]{40}$/);
  });

  it('shows a webhook signing secret once, and fails with exit code 1 naming the reason when the receiver refuses', async () => {
    const id = await seedSecret(server, { name: 'hooked', type: 'basic_credentials' }, '{"username":"a","password":"b"}');
    const set = await run('secret', 'rotation', 'set', id, '--interval', '24h', '--webhook', receiver.url, '--max-attempts', '3', '--output', 'json');
    assert.equal(set.status, 0, set.stderr);
    const signingSecret = String((JSON.parse(set.stdout) as Json).signing_secret);
    assert.match(signingSecret, /^whsec_/);
    assert.match(set.stderr, /shown only this once/);
    receiver.useSigningSecret(id, signingSecret);
    receiver.plan([{ status: 403 }]);
    const refused = await run('secret', 'rotate', id);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /rotation failed: webhook_status: the webhook answered HTTP 403/);
    assert.equal(receiver.calls.length, 1);
    assert.ok(receiver.calls[0]?.signatureValid);
    assert.ok(!(await run('secret', 'rotation', 'show', id)).stdout.includes('whsec_'));
    receiver.plan([{ status: 200, body: { value: { username: 'a', password: 'from-hook' } } }]);
    assert.equal((await json('secret', 'rotate', id)).revision, 2);
    assert.equal(await latestPassword(id), 'from-hook');
  });
});
