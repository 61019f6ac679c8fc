import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';

interface Answer {
  status: number;
  json: Record<string, unknown> | null;
}

/** IAM refusals: 4xx in Scaleway's shape, never 5xx, and nothing created. */
describe('IAM API: bad input', () => {
  let server: TestServer;
  const call = async (method: string, path: string, body?: unknown, token?: string): Promise<Answer> => {
    const response = await fetch(`${server.url}/iam/v1alpha1${path}`, {
      method,
      headers: { 'x-auth-token': token ?? server.secretKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json().catch(() => null)) as Record<string, unknown> | null };
  };
  const countOf = async (path: string, field: string) => ((await call('GET', path)).json?.[field] as unknown[]).length;

  before(async () => {
    server = await startServer();
  });
  after(async () => server.stop());

  it('refuses policies with unknown permission sets, foreign projects or misplaced scopes, and creates none', async () => {
    const base = { name: 'p', organization_id: server.organizationId };
    const cases: [unknown, RegExp][] = [
      [{ ...base, rules: [{ permission_set_names: ['SecretManagerEverything'], organization_id: server.organizationId }] }, /unknown permission set/],
      [{ ...base, rules: [{ permission_set_names: ['SecretManagerReadOnly'], project_ids: [randomUUID()] }] }, /not in this organization/],
      [{ ...base, rules: [{ permission_set_names: ['IAMManager'], project_ids: [server.projectId] }] }, /organization only/],
      [{ ...base, rules: [{ permission_set_names: [], organization_id: server.organizationId }] }, /at least one permission set/],
      [{ ...base, rules: [{ permission_set_names: ['SecretManagerReadOnly'] }] }, /either project_ids or organization_id/],
      [{ ...base, application_id: randomUUID() }, /not found|application/],
      [{ ...base, user_id: randomUUID() }, /user/],
      [{ ...base, user_id: randomUUID(), group_id: randomUUID() }, /at most one principal/],
    ];
    for (const [body, message] of cases) {
      const refused = await call('POST', '/policies', body);
      assert.ok(refused.status === 400 || refused.status === 404, `${JSON.stringify(body)} → ${refused.status}`);
      assert.match(JSON.stringify(refused.json), message);
    }
    assert.equal(await countOf('/policies', 'policies'), 0);
  });

  it('answers 404 for malformed or unknown access keys and ids', async () => {
    for (const path of ['/api-keys/NOTANACCESSKEY', '/api-keys/SCWAAAAAAAAAAAAAAAAA', `/applications/${randomUUID()}`, '/applications/not-a-uuid', `/policies/${randomUUID()}`]) {
      const answer = await call('GET', path);
      assert.equal(answer.status, 404, path);
      assert.equal(answer.json?.type, 'not_found');
    }
    assert.equal((await call('DELETE', '/api-keys/SCW%00')).status, 404);
  });

  it('refuses malformed secret keys with 401, and keys for missing applications with 404', async () => {
    for (const token of ['not-a-uuid', `${randomUUID()}x`, randomUUID()]) {
      const answer = await call('GET', '/applications', undefined, token);
      assert.equal(answer.status, 401, token.length > 40 ? 'long token' : token);
      assert.equal(answer.json?.type, 'denied_authentication');
    }
    const key = await call('POST', '/api-keys', { application_id: randomUUID() });
    assert.equal(key.status, 404);
    const past = await call('POST', '/applications', { name: 'a', organization_id: server.organizationId });
    const expired = await call('POST', '/api-keys', { application_id: past.json?.id, expires_at: '2001-01-01T00:00:00Z' });
    assert.equal(expired.status, 400);
    assert.equal(await countOf('/api-keys', 'api_keys'), 1, 'only the bootstrap key');
  });
});
