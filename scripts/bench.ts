// `npm run bench`: reads of the latest version through the Scaleway API (AccessSecretVersion)
// and the Vault KV v2 API on SQLite and PostgreSQL, measured against a bare node:http server
// in the same run, written to docs/benchmarks.md (the analysis below its marker is kept).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { runExtraBenches, runOnlyExtras } from './bench-extras.js';
import { createTestDatabase } from '../test/helpers/postgres.js';
import { scalewayHttp } from '../test/helpers/scaleway-http.js';
import { ROOT_DIR, startServer, type TestServer } from '../test/helpers/server.js';

const SECRETS = Number(process.env.BENCH_SECRETS ?? 10_000);
const CONNECTIONS = 64;
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
// A 1 KiB key_value payload, so both APIs serve the same secret: Vault as JSON, Scaleway as base64.
const PAYLOAD = Buffer.from(JSON.stringify({ value: 'x'.repeat(1010) }));
const ROUNDS = 3;
const ANALYSIS_MARKER = '<!-- analysis: kept by npm run bench -->';

interface Measure {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

const startBare = async (): Promise<{ url: string; child: ChildProcess }> => {
  const source = `
    const body = JSON.stringify({ secret_id: '00000000-0000-0000-0000-000000000000', revision: 1, data: '${'A'.repeat(110)}', type: 'opaque' });
    require('node:http').createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(body); })
      .listen(0, '127.0.0.1', function () { console.log('listening ' + this.address().port); });`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => child.stdout?.on('data', (chunk: Buffer) => resolve(/listening (\d+)/.exec(chunk.toString())?.[1] ?? '')));
  return { url: `http://127.0.0.1:${port}`, child };
};

const median = (runs: Measure[]): Measure => {
  const sorted = [...runs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (!middle) {
    throw new Error('no runs to take a median of');
  }
  return { ...middle, errors: runs.reduce((sum, run) => sum + run.errors, 0), non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0) };
};

const drive = async (name: string, url: string, paths: string[], headers: Record<string, string>): Promise<Measure> => {
  let next = 0;
  const run = (seconds: number) =>
    autocannon({
      url,
      connections: CONNECTIONS,
      duration: seconds,
      headers,
      requests: [{ setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] ?? '/' }) }],
    });
  await run(2); // warm-up: JIT, caches, connection pools
  const result = await run(DURATION_SECONDS);
  console.log(`  ${name}: ${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms`);
  return {
    name,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
};

/** A customer-managed key (Key Manager API) for the secrets that choose one, and for the encrypt route. */
const createCustomerKey = async (server: TestServer): Promise<string> => {
  const response = await fetch(`${server.url}/key-manager/v1alpha1/regions/fr-par/keys`, {
    method: 'POST',
    headers: { 'x-auth-token': server.secretKey, 'content-type': 'application/json' },
    body: JSON.stringify({ project_id: server.projectId, name: 'bench', unprotected: true }),
  });
  return String(((await response.json()) as Record<string, unknown>).id);
};

const load = async (server: TestServer): Promise<{ scaleway: string[]; vault: string[]; customerKey: string[]; keyId: string }> => {
  const api = scalewayHttp(server);
  const keyId = await createCustomerKey(server);
  const ids: string[] = [];
  const keyed: string[] = [];
  const started = Date.now();
  // As many secrets under the customer-managed key as under the project key, so both reads see the same cache pressure.
  const worker = async (offset: number) => {
    for (let index = offset; index < SECRETS; index += 32) {
      const id = await api.createSecret({ name: `bench-${index}`, type: 'key_value' });
      await api.addVersion(id, PAYLOAD);
      ids.push(id);
      const keyedId = await api.createSecret({ name: `bench-cmk-${index}`, type: 'key_value', key_id: keyId });
      await api.addVersion(keyedId, PAYLOAD);
      keyed.push(keyedId);
    }
  };
  await Promise.all(Array.from({ length: 32 }, (_, offset) => worker(offset)));
  console.log(`  loaded ${ids.length + keyed.length} secrets of 1 KiB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const access = (id: string) => `/secret-manager/v1beta1/regions/fr-par/secrets/${id}/versions/latest/access`;
  return {
    scaleway: ids.map(access),
    vault: Array.from({ length: SECRETS }, (_, index) => `/v1/secret/data/bench-${index}`),
    customerKey: keyed.map(access),
    keyId,
  };
};

/** Key Manager `encrypt` of a 1 KiB plaintext, the same body on every request. */
const driveEncrypt = async (name: string, server: TestServer, keyId: string): Promise<Measure> => {
  const result = await autocannon({
    url: `${server.url}/key-manager/v1alpha1/regions/fr-par/keys/${keyId}/encrypt`,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    method: 'POST',
    headers: { 'x-auth-token': server.secretKey, 'content-type': 'application/json' },
    body: JSON.stringify({ plaintext: Buffer.alloc(1024, 7).toString('base64') }),
  });
  console.log(`  ${name}: ${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms`);
  return { name, requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx };
};

/** An application key whose policy grants read and data access on the project only. */
const policyScopedKey = async (server: TestServer): Promise<string> => {
  const iam = async (path: string, body: unknown) => {
    const response = await fetch(`${server.url}/iam/v1alpha1${path}`, {
      method: 'POST',
      headers: { 'x-auth-token': server.secretKey, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await response.json()) as Record<string, unknown>;
  };
  const application = await iam('/applications', { name: 'bench-reader', organization_id: server.organizationId });
  await iam('/policies', {
    name: 'bench-read',
    organization_id: server.organizationId,
    application_id: application.id,
    rules: [{ permission_set_names: ['SecretManagerReadOnly', 'SecretManagerSecretAccess'], project_ids: [server.projectId] }],
  });
  const key = await iam('/api-keys', { application_id: application.id });
  return String(key.secret_key);
};

interface StoreResult {
  measures: Measure[];
  /** Per round, each route's req/s over the admin key's Scaleway access in that round. */
  vaultRatios: number[];
  applicationRatios: number[];
  /** Per round, Scaleway access with durable auditing ÷ the same with auditing off, and both runs. */
  auditRatios: number[];
  auditOff: Measure;
  /** Per round, access to a secret under a customer-managed key ÷ one under the project key. */
  customerKeyRatios: number[];
  encrypt: Measure;
}

const benchStore = async (storage: 'sqlite' | 'postgres'): Promise<StoreResult> => {
  const database = storage === 'postgres' ? await createTestDatabase() : undefined;
  const server = await startServer({ compiled: true, storage, ...(database ? { postgresUrl: database.url } : {}), env: { COFFER_LOG_LEVEL: 'error' } });
  try {
    console.log(`${storage}:`);
    const paths = await load(server);
    const bare = await startBare();
    const baseline = await drive(`bare node:http (before ${storage})`, bare.url, ['/'], {});
    bare.child.kill();
    // The routes take turns, ROUNDS times, and each keeps its median: on a noisy
    // machine, a drift during one long run would otherwise decide the ratio.
    // Both routes warm up once before the rounds, so neither pays for its JIT inside them.
    await drive('warm-up, Scaleway', server.url, paths.scaleway, { 'x-auth-token': server.secretKey });
    await drive('warm-up, Vault', server.url, paths.vault, { 'x-vault-token': server.secretKey });
    await drive('warm-up, customer-managed key', server.url, paths.customerKey, { 'x-auth-token': server.secretKey });
    const applicationKey = await policyScopedKey(server);
    // The same store served by a second process that records nothing: what auditing costs.
    const unaudited = await startServer({
      compiled: true,
      storage,
      dataDir: server.dataDir,
      identity: server,
      ...(database ? { postgresUrl: database.url } : {}),
      env: { COFFER_LOG_LEVEL: 'error', COFFER_AUDIT: 'off' },
    });
    await drive('warm-up, auditing off', unaudited.url, paths.scaleway, { 'x-auth-token': server.secretKey });
    const offRuns: Measure[] = [];
    const scalewayRuns: Measure[] = [];
    const vaultRuns: Measure[] = [];
    const applicationRuns: Measure[] = [];
    const customerKeyRuns: Measure[] = [];
    const encryptRuns: Measure[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      scalewayRuns.push(await drive(`Coffer ${storage}, Scaleway access`, server.url, paths.scaleway, { 'x-auth-token': server.secretKey }));
      offRuns.push(await drive(`Coffer ${storage}, Scaleway access, auditing off`, unaudited.url, paths.scaleway, { 'x-auth-token': server.secretKey }));
      vaultRuns.push(await drive(`Coffer ${storage}, Vault KV v2 read`, server.url, paths.vault, { 'x-vault-token': server.secretKey }));
      applicationRuns.push(await drive(`Coffer ${storage}, Scaleway access, application key`, server.url, paths.scaleway, { 'x-auth-token': applicationKey }));
      customerKeyRuns.push(await drive(`Coffer ${storage}, Scaleway access, customer-managed key`, server.url, paths.customerKey, { 'x-auth-token': server.secretKey }));
      encryptRuns.push(await driveEncrypt(`Coffer ${storage}, Key Manager encrypt 1 KiB`, server, paths.keyId));
    }
    await unaudited.stop();
    const ratios = (runs: Measure[]) => runs.map((run, round) => run.requestsPerSecond / (scalewayRuns[round]?.requestsPerSecond ?? Number.NaN));
    return {
      auditRatios: scalewayRuns.map((run, round) => run.requestsPerSecond / (offRuns[round]?.requestsPerSecond ?? Number.NaN)),
      auditOff: median(offRuns),
      measures: [baseline, median(scalewayRuns), median(vaultRuns), median(applicationRuns), median(customerKeyRuns), median(encryptRuns)],
      customerKeyRatios: ratios(customerKeyRuns),
      encrypt: median(encryptRuns),
      vaultRatios: ratios(vaultRuns),
      applicationRatios: ratios(applicationRuns),
    };
  } finally {
    await server.stop();
    await database?.drop();
  }
};

const row = (measure: Measure, baseline: Measure) =>
  `| ${measure.name} | ${Math.round(measure.requestsPerSecond)} | ${(measure.requestsPerSecond / baseline.requestsPerSecond).toFixed(2)} | ${measure.p50} | ${measure.p99} | ${measure.errors + measure.non2xx} |`;

const rows = ([baseline, ...measures]: Measure[]): string[] => (baseline ? [row(baseline, baseline), ...measures.map((measure) => row(measure, baseline))] : []);

/** The median of the per-round ratios: a drift of the machine between rounds cancels out within each pair. */
const medianRatio = (ratios: number[]): string => {
  const sorted = [...ratios].sort((a, b) => a - b);
  const middle = sorted[Math.floor(sorted.length / 2)];
  return middle === undefined ? 'n/a' : `${middle.toFixed(2)} (rounds: ${ratios.map((ratio) => ratio.toFixed(2)).join(', ')})`;
};

/** The hand-written analysis below the marker survives a new run. */
const keptAnalysis = (file: string): string => {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const at = current.indexOf(ANALYSIS_MARKER);
  return at === -1 ? `${ANALYSIS_MARKER}\n` : current.slice(at);
};

const main = async () => {
  // The bench measures what users run: the compiled build.
  execFileSync('npm', ['run', 'build'], { cwd: ROOT_DIR, stdio: 'ignore' });
  if (await runOnlyExtras(process.argv.slice(2))) {
    return;
  }
  const sqlite = await benchStore('sqlite');
  const postgres = await benchStore('postgres');
  const lines = [
    '# Benchmarks',
    '',
    `Generated by \`npm run bench\` on ${new Date().toISOString()}.`,
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
    `Workload: ${SECRETS} key_value secrets of 1 KiB; the latest version of a random secret, read through Scaleway's AccessSecretVersion (with the admin key and with an application key whose policy grants read and data access on the project) and through Vault's \`GET /v1/secret/data/<key>\`, ${CONNECTIONS} connections, ${DURATION_SECONDS} s after a 2 s warm-up, load from autocannon on the same machine. The three take turns ${ROUNDS} times; each row is the median run.`,
    'Coffer runs from the compiled build. Each store is compared with a bare `node:http` server returning a 200-byte JSON, measured in the same run just before it.',
    '',
    '| server | req/s | ratio to bare | p50 ms | p99 ms | errors |',
    '|---|---|---|---|---|---|',
    ...rows(sqlite.measures),
    ...rows(postgres.measures),
    '',
    `Vault read ÷ Scaleway access, median of the rounds: SQLite ${medianRatio(sqlite.vaultRatios)}, PostgreSQL ${medianRatio(postgres.vaultRatios)}.`,
    `Policy-scoped application key ÷ admin key (Scaleway access), median of the rounds: SQLite ${medianRatio(sqlite.applicationRatios)}, PostgreSQL ${medianRatio(postgres.applicationRatios)}.`,
    `Durable auditing on ÷ off (Scaleway access; the same store served by a second process with \`COFFER_AUDIT=off\`), median of the rounds: SQLite ${medianRatio(sqlite.auditRatios)}, PostgreSQL ${medianRatio(postgres.auditRatios)}. Auditing off: SQLite ${Math.round(sqlite.auditOff.requestsPerSecond)} req/s, p99 ${sqlite.auditOff.p99} ms; PostgreSQL ${Math.round(postgres.auditOff.requestsPerSecond)} req/s, p99 ${postgres.auditOff.p99} ms (the rows above are with auditing on).`,
    '',
    `Secret under a customer-managed key ÷ under the project key (Scaleway access, ${SECRETS} secrets each), median of the rounds: SQLite ${medianRatio(sqlite.customerKeyRatios)}, PostgreSQL ${medianRatio(postgres.customerKeyRatios)}.`,
    `Key Manager \`encrypt\` of 1 KiB: SQLite ${Math.round(sqlite.encrypt.requestsPerSecond)} req/s (${((sqlite.encrypt.requestsPerSecond * 1024) / 2 ** 20).toFixed(1)} MiB/s of plaintext), p99 ${sqlite.encrypt.p99} ms; PostgreSQL ${Math.round(postgres.encrypt.requestsPerSecond)} req/s (${((postgres.encrypt.requestsPerSecond * 1024) / 2 ** 20).toFixed(1)} MiB/s), p99 ${postgres.encrypt.p99} ms.`,
    '',
    'Targets: SQLite ≥ 0.5 of bare with p99 ≤ 10 ms; PostgreSQL ≥ 0.3 of bare with p99 ≤ 10 ms; the Vault read, the application key and a secret under a customer-managed key each within 10% of the admin key’s Scaleway access to a project-key secret (ratio ≥ 0.90); durable auditing ≥ 0.85 of auditing off.',
    '',
  ];
  const report = lines.join('\n');
  console.log(`\n${report}`);
  const file = join(ROOT_DIR, 'docs', 'benchmarks.md');
  writeFileSync(file, `${report}\n${keptAnalysis(file)}`);
  await runExtraBenches(process.argv.slice(2));
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
