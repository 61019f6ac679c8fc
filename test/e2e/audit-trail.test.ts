import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT_DIR, startServer, type TestServer } from '../helpers/server.js';

const MARKER = 'payload-marker-7f3a9c1e';
const b64 = (text: string) => Buffer.from(text).toString('base64');

interface Event {
  request_id: string;
  api: string;
  operation: string;
  action: string | null;
  actor: { access_key: string | null; token_hmac: string | null };
  resource: { secret_id: string | null; revision: string | null; path: string | null; project_id: string | null };
  outcome: string;
  status: number;
  error_type: string | null;
  time: string;
  source_ip: string | null;
  user_agent: string | null;
}

/** The audit trail over a real server on SQLite: one event per request, no secrets in it, usage. */
describe('audit trail', () => {
  let server: TestServer;
  let secretId = '';
  const SCW = '/secret-manager/v1beta1/regions/fr-par';

  const call = async (method: string, path: string, token: string | null = server.secretKey, body?: unknown) => {
    const headers: Record<string, string> = { 'user-agent': 'audit-test/1.0', ...(token === null ? {} : { 'x-auth-token': token, 'x-vault-token': token }) };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(`${server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, requestId: response.headers.get('x-request-id') ?? '', text: await response.text() };
  };
  const eventsOf = async (requestId: string): Promise<Event[]> => {
    const answer = await call('GET', `/coffer/v1/audit/events?request_id=${requestId}`);
    assert.equal(answer.status, 200, answer.text);
    return (JSON.parse(answer.text) as { events: Event[] }).events;
  };
  const coffer = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(ROOT_DIR, 'src/cli/index.ts'), ...args], {
      env: { ...process.env, COFFER_ADDR: server.url, COFFER_SECRET_KEY: server.secretKey },
      encoding: 'utf8',
      timeout: 60_000,
    });

  before(async () => {
    server = await startServer({ env: { COFFER_AUDIT_CHECKPOINT_EVENTS: '10' } });
    const created = await call('POST', `${SCW}/secrets`, server.secretKey, { name: 'db', path: '/prod', type: 'key_value' });
    secretId = String((JSON.parse(created.text) as { id: string }).id);
    await call('POST', `${SCW}/secrets/${secretId}/versions`, server.secretKey, { data: b64(JSON.stringify({ password: MARKER })) });
  });
  after(async () => server.stop());

  it('records each request of each API exactly once, with who, what, where and how it ended', async () => {
    const cases: { request: () => Promise<{ status: number; requestId: string }>; expect: Partial<Event> & { secret?: boolean } }[] = [
      { request: () => call('GET', `${SCW}/secrets/${secretId}/versions/latest/access`), expect: { api: 'scaleway', action: 'secrets:version:access', outcome: 'success', status: 200, secret: true } },
      { request: () => call('GET', '/v1/secret/data/prod/db'), expect: { api: 'vault', action: 'secrets:version:access', outcome: 'success', status: 200, secret: true } },
      { request: () => call('GET', '/iam/v1alpha1/applications'), expect: { api: 'iam', action: 'iam:read', outcome: 'success', status: 200 } },
      { request: () => call('GET', `${SCW}/secrets`, '11111111-2222-4333-8444-555555555555'), expect: { api: 'scaleway', action: null, outcome: 'denied', status: 401, error_type: 'unauthenticated' } },
      { request: () => call('GET', `${SCW}/secrets/not-a-uuid`), expect: { api: 'scaleway', outcome: 'failed', status: 400 } },
      { request: () => call('GET', '/nowhere'), expect: { api: 'other', outcome: 'failed', status: 404 } },
    ];
    for (const { request, expect } of cases) {
      const answer = await request();
      assert.equal(answer.status, expect.status);
      const events = await eventsOf(answer.requestId);
      assert.equal(events.length, 1, `exactly one event for ${answer.requestId}`);
      const [event] = events;
      assert.ok(event);
      assert.equal(event.api, expect.api);
      assert.equal(event.outcome, expect.outcome);
      assert.equal(event.status, expect.status);
      if (expect.action !== undefined) {
        assert.equal(event.action, expect.action);
      }
      if (expect.error_type !== undefined) {
        assert.equal(event.error_type, expect.error_type);
      }
      assert.match(event.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/, 'microseconds');
      assert.equal(event.source_ip, '127.0.0.1');
      assert.equal(event.user_agent, 'audit-test/1.0');
      if (expect.status === 401) {
        assert.equal(event.actor.access_key, null);
        assert.match(event.actor.token_hmac ?? '', /^[0-9a-f]{32}$/, 'a bad credential is kept as an HMAC only');
      } else if (expect.status !== 404) {
        assert.equal(event.actor.access_key, server.accessKey);
      }
      if (expect.secret) {
        assert.deepEqual([event.resource.secret_id, event.resource.revision, event.resource.path, event.resource.project_id], [secretId, '1', '/prod/db', server.projectId]);
      }
    }
  });

  it('counts reads per secret and version, and lists secrets nobody read', async () => {
    const usage = await call('GET', `/coffer/v1/audit/secrets/${secretId}/usage`);
    const body = JSON.parse(usage.text) as { access_count: number; versions: { revision: string; access_count: number }[]; readers: { access_key: string }[] };
    assert.ok(body.access_count >= 2, 'the Scaleway and the Vault read');
    assert.equal(body.versions[0]?.revision, '1');
    assert.equal(body.readers[0]?.access_key, server.accessKey);
    const byPath = coffer(['secret', 'usage', '/prod/db', '-o', 'json']);
    assert.equal(byPath.status, 0, byPath.stderr);
    assert.equal((JSON.parse(byPath.stdout) as { secret_id: string }).secret_id, secretId);
    await call('POST', `${SCW}/secrets`, server.secretKey, { name: 'never-read', path: '/' });
    const unused = coffer(['audit', 'unused', '--days', '1', '-o', 'json']);
    assert.equal(unused.status, 0, unused.stderr);
    const names = (JSON.parse(unused.stdout) as { secrets: { name: string }[] }).secrets.map((secret) => secret.name);
    assert.ok(names.includes('never-read') && !names.includes('db'));
  });

  it('keeps no payload, secret key or password in the audit store or its export, and the export verifies offline', async () => {
    const out = join(server.dataDir, 'export.jsonl');
    const exported = coffer(['audit', 'export', '-O', out]);
    assert.equal(exported.status, 0, exported.stderr);
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const files = readdirSync(server.dataDir).filter((name) => name.startsWith('audit.db'));
    assert.ok(files.length > 0);
    for (const file of [...files.map((name) => join(server.dataDir, name)), out]) {
      const bytes = readFileSync(file);
      for (const needle of [MARKER, b64(JSON.stringify({ password: MARKER })), server.secretKey, '11111111-2222-4333-8444-555555555555']) {
        assert.equal(bytes.indexOf(needle), -1, `${file} holds a secret`);
      }
    }
    const verified = coffer(['audit', 'verify', '--file', out]);
    assert.equal(verified.status, 0, verified.stderr);
    assert.match(verified.stdout, /^ok: \d+ events in 1 chains, [1-9]\d* signed checkpoints/);
    const live = coffer(['audit', 'verify']);
    assert.equal(live.status, 0, live.stderr);
    const search = coffer(['audit', 'search', '--secret', secretId, '--action', 'secrets:version:access']);
    assert.equal(search.status, 0, search.stderr);
    assert.match(search.stdout, new RegExp(`success 200\\s+secrets:version:access\\s+${server.accessKey}\\s+${secretId}`));
  });
});
