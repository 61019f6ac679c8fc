import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { scalewayHttp } from '../helpers/scaleway-http.js';
import { startServer, startServerOn, type TestServer } from '../helpers/server.js';

/** One sample line of the text exposition format 0.0.4: name, optional labels, a number. */
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*")*)?\})? (-?[0-9.e+-]+|\+Inf|-Inf|NaN)$/;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const parseMetrics = (text: string): Sample[] =>
  text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = SAMPLE.exec(line);
      assert.ok(match, `not an exposition-format sample: ${line}`);
      const labels = Object.fromEntries([...(match[3] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].map((pair) => [pair[1] ?? '', pair[2] ?? '']));
      return { name: match[1] ?? '', labels, value: Number(match[4]) };
    });

const sum = (samples: Sample[], name: string, labels: Record<string, string> = {}): number =>
  samples
    .filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((total, sample) => total + sample.value, 0);

const getJson = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
};

describe('probes and metrics over HTTP', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => server.stop());

  it('/livez and /readyz answer without credentials, naming each check', async () => {
    assert.deepEqual(await getJson(`${server.url}/livez`), { status: 200, json: { status: 'alive' } });
    assert.deepEqual(await getJson(`${server.url}/readyz`), { status: 200, json: { status: 'ready', checks: { store: 'ok', migrations: 'ok', audit: 'ok' } } });
    assert.deepEqual(await getJson(`${server.url}/health`), { status: 200, json: { status: 'ok' } });
  });

  it('answers probes and /openapi.json whatever session cookie a browser still sends', async () => {
    for (const path of ['/livez', '/readyz', '/metrics', '/openapi.json']) {
      const response = await fetch(`${server.url}${path}`, { headers: { cookie: 'coffer_session=ended-long-ago' } });
      assert.equal(response.status, 200, path);
    }
  });

  it('counts requests by API, route pattern and status class, with no id, name or key in any label', async () => {
    const scw = scalewayHttp(server);
    const name = `metric-${randomUUID().slice(0, 8)}`;
    const secretId = await scw.createSecret({ name, project_id: server.projectId });
    await scw.addVersion(secretId, 'metrics payload');
    assert.equal((await scw.access(secretId)).status, 200);
    assert.equal((await scw.access(secretId)).status, 200);
    assert.equal((await scw.call('GET', `/secrets/${randomUUID()}`)).status, 404);
    const vault = await fetch(`${server.url}/v1/secret/data/metrics/${name}`, {
      method: 'POST',
      headers: { 'x-vault-token': server.secretKey, 'content-type': 'application/json' },
      body: JSON.stringify({ data: { a: 'b' } }),
    });
    assert.equal(vault.status, 200);
    assert.equal((await fetch(`${server.url}/iam/v1alpha1/users`)).status, 401);

    const response = await fetch(`${server.url}/metrics`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    const samples = parseMetrics(text);
    const access = '/secret-manager/v1beta1/regions/:region/secrets/:secret_id/versions/:revision/access';
    assert.equal(sum(samples, 'coffer_http_requests_total', { api: 'scaleway', route: access, method: 'GET', status: '2xx' }), 2);
    assert.equal(sum(samples, 'coffer_http_requests_total', { api: 'scaleway', route: '/secret-manager/v1beta1/regions/:region/secrets/:secret_id', status: '4xx' }), 1);
    assert.equal(sum(samples, 'coffer_http_requests_total', { api: 'vault', method: 'POST', status: '2xx' }), 1);
    assert.equal(sum(samples, 'coffer_http_requests_total', { api: 'iam', status: '4xx' }), 1);
    assert.equal(sum(samples, 'coffer_http_request_duration_seconds_count', { api: 'scaleway', route: access }), 2);
    assert.equal(sum(samples, 'coffer_http_request_duration_seconds_bucket', { api: 'scaleway', route: access, le: '+Inf' }), 2);
    assert.ok(sum(samples, 'coffer_store_duration_seconds_count', { operation: 'select' }) > 0);
    assert.ok(sum(samples, 'coffer_store_duration_seconds_count', { operation: 'transaction' }) > 0);
    assert.ok(sum(samples, 'coffer_audit_batch_events_count') > 0, 'audit group commits are measured');
    assert.ok(sum(samples, 'coffer_audit_batch_events_sum') >= sum(samples, 'coffer_audit_batch_events_count'));
    assert.ok(sum(samples, 'coffer_cache_lookups_total', { cache: 'api_keys', result: 'hit' }) > 0, 'the API key cache served the repeated requests');
    assert.ok(sum(samples, 'coffer_cache_lookups_total', { cache: 'kek', result: 'hit' }) > 0, 'the second read found its KEK unwrapped');
    // The leader gauge reads 1 once the first pass took the lock: exported either way.
    for (const gauge of ['coffer_scheduler_leader', 'coffer_scheduler_lag_seconds', 'coffer_webhook_backlog_events', 'coffer_audit_queued_events']) {
      assert.ok(samples.some((sample) => sample.name === gauge && sample.value >= 0), `${gauge} is exported`);
    }
    assert.equal(sum(samples, 'coffer_audit_healthy'), 1);
    assert.ok(sum(samples, 'process_resident_memory_bytes') > 0);
    for (const secretValue of [secretId, name, server.projectId, server.organizationId, server.accessKey, server.secretKey, 'metrics payload']) {
      assert.ok(!text.includes(secretValue), `${secretValue} appears in /metrics`);
    }
  });

  it('leaves probes out of the audit trail, which records every other request', async () => {
    await fetch(`${server.url}/readyz`);
    await fetch(`${server.url}/metrics`);
    const exported = await fetch(`${server.url}/coffer/v1/audit/export`, { headers: { 'x-auth-token': server.secretKey } }).then((response) => response.text());
    const operations = exported
      .split('\n')
      .filter((line) => line.startsWith('{"type":"event"'))
      .map((line) => String((JSON.parse(line) as { operation: string }).operation));
    assert.ok(operations.includes('GET /secret-manager/v1beta1/regions/:region/secrets/:secret_id/versions/:revision/access'));
    assert.deepEqual(operations.filter((operation) => /\/(livez|readyz|metrics|health)$/.test(operation)), []);
  });
});

describe('COFFER_METRICS=off', () => {
  it('serves no /metrics, and the probes still answer', async () => {
    const server = await startServer({ env: { COFFER_METRICS: 'off' } });
    try {
      assert.equal((await fetch(`${server.url}/metrics`)).status, 404);
      assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
    } finally {
      await server.stop();
    }
  });
});

/** Asks /readyz until it answers `status` (10 s at most): the trail retries its writes every second. */
const readyzUntil = async (url: string, status: number): Promise<{ status: number; json: Record<string, unknown> }> => {
  let last = await getJson(`${url}/readyz`);
  for (let attempt = 0; attempt < 100 && last.status !== status; attempt += 1) {
    await sleep(100);
    last = await getJson(`${url}/readyz`);
  }
  return last;
};

describe('readiness while the audit trail cannot write', () => {
  it('is 503 naming the audit trail, with coffer_audit_healthy 0, and ready again once it can', async () => {
    const server = await startServer();
    const auditDb = new Database(join(server.dataDir, 'audit.db'));
    auditDb.pragma('busy_timeout = 5000');
    try {
      auditDb.exec("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'disk full'); END");
      const refused = await fetch(`${server.url}/coffer/v1/whoami`, { headers: { 'x-auth-token': server.secretKey } });
      assert.equal(refused.status, 503, 'a request whose event cannot be written is refused');
      const down = await getJson(`${server.url}/readyz`);
      assert.equal(down.status, 503);
      assert.deepEqual(down.json.checks, { store: 'ok', migrations: 'ok', audit: 'failing' });
      assert.match(String((down.json.reasons as string[])[0]), /audit trail cannot write/);
      const metrics = parseMetrics(await fetch(`${server.url}/metrics`).then((response) => response.text()));
      assert.equal(sum(metrics, 'coffer_audit_healthy'), 0);
      auditDb.exec('DROP TRIGGER refuse_audit');
      assert.equal((await readyzUntil(server.url, 200)).status, 200, 'ready again once the trail writes');
    } finally {
      auditDb.close();
      await server.stop();
    }
  });
});

describe('readiness on PostgreSQL', () => {
  it('is 503 with a reason while the schema is ahead of this process or the database is gone, and ready again after', async () => {
    const running = await startServerOn('postgres');
    const database = running.database;
    assert.ok(database, 'a PostgreSQL database');
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      await admin.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'from a newer coffer', 'now')");
      const ahead = await getJson(`${running.server.url}/readyz`);
      assert.equal(ahead.status, 503);
      assert.equal(ahead.json.status, 'not_ready');
      assert.deepEqual(ahead.json.checks, { store: 'ok', migrations: 'failing', audit: 'ok' });
      assert.match(String((ahead.json.reasons as string[])[0]), /schema is at version 9999/);
      await admin.query('DELETE FROM schema_migrations WHERE version = 9999');
      assert.equal((await getJson(`${running.server.url}/readyz`)).status, 200);
    } finally {
      await admin.end();
    }

    const samples = parseMetrics(await fetch(`${running.server.url}/metrics`).then((response) => response.text()));
    assert.ok(sum(samples, 'coffer_store_duration_seconds_count', { operation: 'transaction' }) > 0, 'PostgreSQL store calls are timed');
    assert.equal(sum(samples, 'coffer_cache_invalidation_listening'), 1);

    // The database disappears under the running server.
    const control = new pg.Client({ connectionString: database.url.replace(`/${database.name}`, '/postgres') });
    await control.connect();
    try {
      await control.query(`ALTER DATABASE ${database.name} ALLOW_CONNECTIONS false`);
      await control.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [database.name]);
      const gone = await getJson(`${running.server.url}/readyz`);
      assert.equal(gone.status, 503);
      assert.equal((gone.json.checks as Record<string, string>).store, 'failing');
      assert.match(String((gone.json.reasons as string[])[0]), /the store is unreachable/);
      await control.query(`ALTER DATABASE ${database.name} ALLOW_CONNECTIONS true`);
      assert.equal((await readyzUntil(running.server.url, 200)).status, 200, 'ready again once the database is back');
    } finally {
      await control.end();
      await running.stop();
    }
  });
});
