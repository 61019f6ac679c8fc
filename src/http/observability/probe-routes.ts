import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MetricsRegistry } from './metrics-registry.js';

export interface ReadinessChecks {
  /** Resolves when the store answers. */
  ping(): Promise<void>;
  /** False while audit events cannot be made durable: every request is then refused. */
  auditHealthy(): boolean;
  schemaVersions(): Promise<{ applied: number; known: number }>;
}

/** A store that does not answer in this long is not ready, whatever it says later. */
const STORE_TIMEOUT_MS = 2_000;

const within = async <T>(promise: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : 'unknown error');

/** Each check's state and, when one fails, why; wording for the operator, never data. */
const readiness = async (checks: ReadinessChecks): Promise<{ ready: boolean; checks: Record<string, string>; reasons: string[] }> => {
  const states: Record<string, string> = {};
  const reasons: string[] = [];
  try {
    await within(checks.ping(), STORE_TIMEOUT_MS);
    states.store = 'ok';
    const { applied, known } = await within(checks.schemaVersions(), STORE_TIMEOUT_MS);
    states.migrations = applied === known ? 'ok' : 'failing';
    if (applied !== known) {
      reasons.push(`the database schema is at version ${applied}, this process expects ${known}`);
    }
  } catch (error) {
    states.store = 'failing';
    states.migrations = 'unknown';
    reasons.push(`the store is unreachable: ${reasonOf(error)}`);
  }
  states.audit = checks.auditHealthy() ? 'ok' : 'failing';
  if (states.audit !== 'ok') {
    reasons.push('the audit trail cannot write: requests are refused until it can');
  }
  return { ready: reasons.length === 0, checks: states, reasons };
};

const sendProbe = (reply: FastifyReply, status: number, body: unknown): FastifyReply =>
  reply.code(status).header('content-type', 'application/json').header('cache-control', 'no-store').send(JSON.stringify(body));

/**
 * Probes for orchestrators and load balancers: `/livez` says the process runs (restart
 * it otherwise), `/readyz` that it can serve (send it traffic), and `/metrics` is the
 * Prometheus scrape. None of them authenticates, none is audited, none reveals data.
 */
export const registerProbeRoutes = (app: FastifyInstance, checks: ReadinessChecks, registry: MetricsRegistry | null): void => {
  app.get('/livez', async (_request, reply) => sendProbe(reply, 200, { status: 'alive' }));
  app.get('/readyz', async (_request, reply) => {
    const result = await readiness(checks);
    return result.ready
      ? sendProbe(reply, 200, { status: 'ready', checks: result.checks })
      : sendProbe(reply, 503, { status: 'not_ready', checks: result.checks, reasons: result.reasons });
  });
  if (registry) {
    app.get('/metrics', async (_request, reply) =>
      reply.header('content-type', 'text/plain; version=0.0.4; charset=utf-8').header('cache-control', 'no-store').send(await registry.render()),
    );
  }
};
