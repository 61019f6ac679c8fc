// `npm run bench -- --million`: latency of a list by path and of an access by id with a
// million secrets stored, on each engine, and the resident memory of the serving process.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createTestDatabase } from '../test/helpers/postgres.js';
import { scalewayHttp } from '../test/helpers/scaleway-http.js';
import { startServer, type TestServer } from '../test/helpers/server.js';
import { SEED_FOLDERS, seededPayload, seededSecretId, seedPostgres, seedSqlite } from './bench-seed.js';

export interface Latency {
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  failures: number;
}

export interface MillionResult {
  engine: 'sqlite' | 'postgres';
  secrets: number;
  seedSeconds: number;
  connections: number;
  seconds: number;
  list: Latency;
  access: Latency;
  rssMiB: number;
  peakRssMiB: number;
}

export const MILLION_TARGETS = { listP99: 20, accessP99: 5, rssMiB: 200 };

/** Resident and peak resident memory of a process, from /proc, in MiB. */
const memoryOf = (pid: number | undefined): { rss: number; peak: number } => {
  const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
};

const measure = async (server: TestServer, path: () => string, connections: number, seconds: number): Promise<Latency> => {
  const result = await autocannon({
    url: server.url,
    connections,
    duration: seconds,
    headers: { 'x-auth-token': server.secretKey },
    requests: [{ setupRequest: (request) => ({ ...request, path: path() }) }],
  });
  return { requests: result.requests.total, requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, failures: result.errors + result.non2xx };
};

export const benchMillion = async (engine: 'sqlite' | 'postgres', count: number, seconds: number, log: (line: string) => void = console.log): Promise<MillionResult> => {
  const database = engine === 'postgres' ? await createTestDatabase() : undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'coffer-million-'));
  const rootKey = randomBytes(32);
  const options = {
    compiled: true,
    storage: engine,
    dataDir,
    ...(database ? { postgresUrl: database.url } : {}),
    env: { COFFER_LOG_LEVEL: 'error', COFFER_ROOT_KEY: rootKey.toString('base64') },
  };
  let server = await startServer(options);
  try {
    log(`${engine} with ${count} secrets:`);
    // One secret through the API: its rows are the template of the seeded ones, and it makes the project's KEK.
    const api = scalewayHttp(server);
    const templateId = await api.createSecret({ name: 'template', path: '/template', project_id: server.projectId });
    await api.addVersion(templateId, 'template');
    const identity = server;
    await server.stop();
    const seeding = Date.now();
    if (database) {
      await seedPostgres(database.url, templateId, rootKey, count, log);
    } else {
      seedSqlite(dataDir, templateId, rootKey, count, log);
    }
    const seedSeconds = (Date.now() - seeding) / 1000;
    // A fresh process: its memory is what serving a million secrets costs, not what seeding left.
    server = await startServer({ ...options, identity });
    const probe = Math.floor(count / 2);
    const read = await scalewayHttp(server).access(seededSecretId(probe));
    if (read.status !== 200 || read.data !== seededPayload(probe)) {
      throw new Error(`a seeded secret does not decrypt: ${read.status} ${read.text}`);
    }
    const pick = () => 1 + Math.floor(Math.random() * count);
    const base = '/secret-manager/v1beta1/regions/fr-par';
    const listPath = () => `${base}/secrets?project_id=${server.projectId}&path=/bench/f${pick() % SEED_FOLDERS}&page_size=20`;
    const accessPath = () => `${base}/secrets/${seededSecretId(pick())}/versions/latest/access`;
    // Latency, not throughput: one connection, requests one after the other.
    const connections = 1;
    await measure(server, listPath, connections, 3);
    await measure(server, accessPath, connections, 3);
    const list = await measure(server, listPath, connections, seconds);
    const access = await measure(server, accessPath, connections, seconds);
    const memory = memoryOf(server.process.pid);
    const result = { engine, secrets: count, seedSeconds, connections, seconds, list, access, rssMiB: memory.rss, peakRssMiB: memory.peak };
    log(`  list by path: p50 ${list.p50} ms, p99 ${list.p99} ms; access by id: p50 ${access.p50} ms, p99 ${access.p99} ms; RSS ${memory.rss.toFixed(0)} MiB (peak ${memory.peak.toFixed(0)} MiB)`);
    return result;
  } finally {
    await server.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

/** The section of docs/benchmarks.md this bench writes. */
export const millionSection = (results: readonly MillionResult[]): string[] => {
  const verdict = (value: number, target: number) => (value <= target ? 'met' : 'missed');
  const row = (result: MillionResult, name: string, latency: Latency, target: number) =>
    `| ${result.engine} | ${name} | ${latency.p50} | ${latency.p99} | ${target} | ${verdict(latency.p99, target)} | ${Math.round(latency.requestsPerSecond)} | ${latency.failures} |`;
  const first = results[0];
  return first === undefined
    ? []
    : [
        `${first.secrets} secrets spread evenly over ${SEED_FOLDERS} paths of one project, each with one version holding a real payload sealed under its own data key, seeded in SQL (see scripts/bench-seed.ts). Measured with ${first.connections} connection (requests one after the other: latency, not throughput) for ${first.seconds} s each after a 3 s warm-up, from a freshly started process; every request writes its audit event durably before it is answered.`,
        '',
        '| engine | request | p50 ms | p99 ms | target p99 ms | target | req/s | errors |',
        '|---|---|---|---|---|---|---|---|',
        ...results.flatMap((result) => [
          row(result, `list by path (page of 20 of ${Math.round(result.secrets / SEED_FOLDERS)})`, result.list, MILLION_TARGETS.listP99),
          row(result, 'access by id (latest version, random secret)', result.access, MILLION_TARGETS.accessP99),
        ]),
        '',
        ...results.map(
          (result) =>
            `${result.engine}: seeded in ${result.seedSeconds.toFixed(0)} s; RSS of the serving process after both runs ${result.rssMiB.toFixed(0)} MiB (peak ${result.peakRssMiB.toFixed(0)} MiB), target ≤ ${MILLION_TARGETS.rssMiB} MiB: ${verdict(result.peakRssMiB, MILLION_TARGETS.rssMiB)}.`,
        ),
      ];
};
