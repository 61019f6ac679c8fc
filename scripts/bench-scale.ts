// Throughput of 1, 2 and 3 Coffer processes on one PostgreSQL, the load spread evenly
// over them: Scaleway access to the latest version of a random secret.
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { createTestDatabase } from '../test/helpers/postgres.js';
import { scalewayHttp } from '../test/helpers/scaleway-http.js';
import { startServer, type TestServer } from '../test/helpers/server.js';
import { countCpu, type CpuShares } from './bench-cpu.js';
import { seededSecretId, seedPostgres } from './bench-seed.js';

const CONNECTIONS = 64;
const PROCESS_COUNTS = [1, 2, 3] as const;

export interface ScaleRun {
  processes: number;
  requestsPerSecond: number;
  /** The worst p99 of the processes' shares of the load. */
  p99: number;
  failures: number;
  cpu: CpuShares;
}

export interface ScaleResult {
  secrets: number;
  seconds: number;
  rounds: number;
  /** Per process count, the median run by req/s. */
  runs: ScaleRun[];
  /** Per process count, req/s ÷ one process's in the same round, per round. */
  ratios: Record<number, number[]>;
  cores: number;
}

const driveSpread = async (servers: readonly TestServer[], paths: readonly string[], seconds: number): Promise<Omit<ScaleRun, 'cpu'>> => {
  let next = 0;
  const results = await Promise.all(
    servers.map((server, index) =>
      autocannon({
        url: server.url,
        // 64 connections in all, shared out as evenly as they go.
        connections: Math.floor(CONNECTIONS / servers.length) + (index < CONNECTIONS % servers.length ? 1 : 0),
        duration: seconds,
        headers: { 'x-auth-token': server.secretKey },
        requests: [{ setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] ?? '/' }) }],
      }),
    ),
  );
  return {
    processes: servers.length,
    requestsPerSecond: results.reduce((sum, result) => sum + result.requests.average, 0),
    p99: Math.max(...results.map((result) => result.latency.p99)),
    failures: results.reduce((sum, result) => sum + result.errors + result.non2xx, 0),
  };
};

export const benchScaleOut = async (secrets: number, seconds: number, rounds: number, cores: number, log: (line: string) => void = console.log): Promise<ScaleResult> => {
  const database = await createTestDatabase();
  const rootKey = randomBytes(32);
  const options = { compiled: true, storage: 'postgres' as const, postgresUrl: database.url, env: { COFFER_LOG_LEVEL: 'error', COFFER_ROOT_KEY: rootKey.toString('base64') } };
  const first = await startServer(options);
  const servers = [first, ...(await Promise.all([startServer({ ...options, identity: first }), startServer({ ...options, identity: first })]))];
  try {
    log(`PostgreSQL, ${PROCESS_COUNTS.join(', ')} processes:`);
    const api = scalewayHttp(first);
    const templateId = await api.createSecret({ name: 'template', path: '/template', project_id: first.projectId });
    await api.addVersion(templateId, 'template');
    await seedPostgres(database.url, templateId, rootKey, secrets, log);
    const paths = Array.from({ length: secrets }, (_, index) => `/secret-manager/v1beta1/regions/fr-par/secrets/${seededSecretId(index + 1)}/versions/latest/access`);
    await driveSpread(servers, paths, 3); // warm-up of every process: JIT, pools, KEK caches
    const byCount = new Map<number, ScaleRun[]>(PROCESS_COUNTS.map((count) => [count, []]));
    for (let round = 0; round < rounds; round += 1) {
      for (const count of PROCESS_COUNTS) {
        const serving = servers.slice(0, count);
        const stop = countCpu(serving.map((server) => server.process.pid ?? 0));
        const run = { ...(await driveSpread(serving, paths, seconds)), cpu: stop() };
        byCount.get(count)?.push(run);
        log(`  ${count} process(es): ${Math.round(run.requestsPerSecond)} req/s, p99 ${run.p99} ms; CPU in cores: Coffer ${run.cpu.coffer.toFixed(2)}, PostgreSQL ${run.cpu.postgres.toFixed(2)}, load generator ${run.cpu.loadGenerator.toFixed(2)}, other work ${run.cpu.others.toFixed(2)}`);
      }
    }
    const single = byCount.get(1) ?? [];
    const ratios = Object.fromEntries(
      PROCESS_COUNTS.map((count) => [count, (byCount.get(count) ?? []).map((run, round) => run.requestsPerSecond / (single[round]?.requestsPerSecond ?? Number.NaN))]),
    );
    const medianRun = (runs: ScaleRun[]): ScaleRun => {
      const sorted = [...runs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
      const middle = sorted[Math.floor(sorted.length / 2)];
      if (!middle) {
        throw new Error('no runs');
      }
      return middle;
    };
    return { secrets, seconds, rounds, cores, runs: PROCESS_COUNTS.map((count) => medianRun(byCount.get(count) ?? [])), ratios };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await database.drop();
  }
};

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** The section of docs/benchmarks.md this bench writes. */
export const scaleSection = (result: ScaleResult): string[] => [
  `Scaleway access to the latest version of a random secret among ${result.secrets} (seeded, see scripts/bench-seed.ts), ${CONNECTIONS} connections in all spread evenly over the processes, ${result.seconds} s per run; the process counts take turns ${result.rounds} times and each row is the median run. CPU is in cores (1.00 = one core busy all along) over the run, from /proc; the machine has ${result.cores}.`,
  '',
  '| processes | req/s | ratio to 1 process | worst p99 ms | errors | CPU Coffer | CPU PostgreSQL | CPU load generator | CPU other work |',
  '|---|---|---|---|---|---|---|---|---|',
  ...result.runs.map(
    (run) =>
      `| ${run.processes} | ${Math.round(run.requestsPerSecond)} | ${median(result.ratios[run.processes] ?? []).toFixed(2)} (rounds: ${(result.ratios[run.processes] ?? []).map((ratio) => ratio.toFixed(2)).join(', ')}) | ${run.p99} | ${run.failures} | ${run.cpu.coffer.toFixed(2)} | ${run.cpu.postgres.toFixed(2)} | ${run.cpu.loadGenerator.toFixed(2)} | ${run.cpu.others.toFixed(2)} |`,
  ),
];
