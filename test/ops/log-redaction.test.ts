import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { scalewayHttp } from '../helpers/scaleway-http.js';
import { startServer, type TestServer } from '../helpers/server.js';

interface LogLine {
  level: number;
  msg?: string;
  reqId?: string;
  route?: string;
  status?: number;
}

/**
 * A run of writes and reads through every kind of credential and payload, with the
 * server logging at trace level; then its whole output is searched for each value.
 */
describe('structured logs: request ids, and no secret in them', () => {
  let server: TestServer;
  const requestIds = new Set<string>();
  const secrets: string[] = [];
  const tag = randomUUID().slice(0, 8);
  const payload = `scaleway-payload-${tag}`;
  const vaultValue = `vault-value-${tag}`;
  const password = `Password-${tag}-correct!`;
  const wrongPassword = `Password-${tag}-wrong!`;
  const unknownToken = randomUUID();

  const call = async (method: string, path: string, token: string | null, body?: unknown, raw?: string) => {
    const headers: Record<string, string> = token ? { 'x-auth-token': token, 'x-vault-token': token } : {};
    if (body !== undefined || raw !== undefined) {
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(`${server.url}${path}`, { method, headers, ...(raw !== undefined ? { body: raw } : body === undefined ? {} : { body: JSON.stringify(body) }) });
    const requestId = response.headers.get('x-request-id');
    assert.ok(requestId, `${method} ${path} has a request id`);
    requestIds.add(requestId);
    return { status: response.status, json: (await response.json().catch(() => null)) as Record<string, unknown> | null };
  };

  before(async () => {
    server = await startServer({ env: { COFFER_LOG_LEVEL: 'trace' } });
    const scw = scalewayHttp(server);
    const secretId = await scw.createSecret({ name: `logs-${tag}`, project_id: server.projectId });
    const version = await call('POST', `/secret-manager/v1beta1/regions/fr-par/secrets/${secretId}/versions`, server.secretKey, { data: Buffer.from(payload).toString('base64') });
    assert.equal(version.status, 200);
    const read = await call('GET', `/secret-manager/v1beta1/regions/fr-par/secrets/${secretId}/versions/latest/access`, server.secretKey);
    assert.equal(Buffer.from(String(read.json?.data), 'base64').toString(), payload);
    assert.equal((await call('POST', `/v1/secret/data/logs/${tag}`, server.secretKey, { data: { password: vaultValue } })).status, 200);
    assert.equal(((await call('GET', `/v1/secret/data/logs/${tag}`, server.secretKey)).json?.data as { data: { password: string } }).data.password, vaultValue);

    const application = await call('POST', '/iam/v1alpha1/applications', server.secretKey, { name: `logs-${tag}`, organization_id: server.organizationId });
    const key = await call('POST', '/iam/v1alpha1/api-keys', server.secretKey, { application_id: application.json?.id });
    const applicationSecret = String(key.json?.secret_key);
    assert.equal((await call('GET', '/coffer/v1/whoami', applicationSecret)).status, 200);
    const email = `logs-${tag}@example.com`;
    assert.equal((await call('POST', '/iam/v1alpha1/users', server.secretKey, { member: { email, password } })).status, 200);
    assert.equal((await call('POST', '/coffer/v1/session', null, { email, password })).status, 201);
    assert.equal((await call('POST', '/coffer/v1/session', null, { email, password: wrongPassword })).status, 401);

    // Refusals that carry the values: a body that is not JSON, an unknown key.
    assert.equal((await call('POST', `/secret-manager/v1beta1/regions/fr-par/secrets/${secretId}/versions`, server.secretKey, undefined, `{"data": "${payload}"`)).status, 400);
    assert.equal((await call('GET', '/coffer/v1/whoami', unknownToken)).status, 401);
    secrets.push(payload, Buffer.from(payload).toString('base64'), vaultValue, password, wrongPassword, server.secretKey, applicationSecret, unknownToken);
    // A line is written once its answer has left: stopping the server lets the last ones arrive.
    await server.stop();
  });
  after(async () => {
    if (server.process.exitCode === null) {
      await server.stop();
    }
  });

  it('writes one JSON line per request, at debug level, carrying the request id and the route pattern', () => {
    const lines = server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
    const completed = lines.filter((line) => line.msg === 'request completed');
    const logged = new Set(completed.map((line) => line.reqId));
    const missing = [...requestIds].filter((id) => !logged.has(id));
    assert.deepEqual(missing, [], 'every request id the client saw is in the log');
    for (const line of completed) {
      assert.equal(line.level, 20);
      assert.match(String(line.reqId), /^[0-9a-f-]{36}$/);
      assert.ok(line.route === '(unmatched)' || !line.route?.includes(tag), `route patterns, not URLs: ${String(line.route)}`);
    }
  });

  it('has no payload, secret key, password or token anywhere in its output, even at trace level', () => {
    const output = server.output();
    assert.ok(output.length > 0);
    for (const value of secrets) {
      assert.ok(!output.includes(value), `a secret value appears in the log: ${value.slice(0, 12)}…`);
    }
  });
});
