import type { FastifyInstance } from 'fastify';
import type { CofferMetrics } from './coffer-metrics.js';

/** Paths of the operator's probes: not an API, and never in the audit trail. */
export const PROBE_PATHS: ReadonlySet<string> = new Set(['/health', '/livez', '/readyz', '/metrics']);

/** Which API a request was for, from its URL's prefix: a closed set of label values. */
export const apiLabel = (url: string): string => {
  if (url.startsWith('/secret-manager/')) {
    return 'scaleway';
  }
  if (url.startsWith('/v1/') || url === '/v1') {
    return 'vault';
  }
  if (url.startsWith('/api/')) {
    return 'ovh';
  }
  if (url.startsWith('/coffer/v1/session') || url === '/console' || url.startsWith('/console/')) {
    return 'console';
  }
  const first = /^\/([a-z-]+)\//.exec(url)?.[1];
  if (first === 'coffer' || first === 'iam' || first === 'key-manager' || first === 'account') {
    return first;
  }
  return PROBE_PATHS.has(url.split('?')[0] ?? '') ? 'probe' : 'other';
};

const statusClass = (status: number): string => `${Math.floor(status / 100)}xx`;

/**
 * Counts and times every answer by its route pattern (`/secrets/:secret_id`, never the
 * URL, whose ids would make a series per secret), and writes one debug line per request
 * (off at the default level: access is what the audit trail records).
 */
export const registerRequestMetrics = (app: FastifyInstance, metrics: CofferMetrics): void => {
  app.addHook('onResponse', (request, reply, done) => {
    const api = apiLabel(request.url);
    const route = request.routeOptions.url ?? '(unmatched)';
    const status = reply.statusCode;
    const seconds = reply.elapsedTime / 1000;
    metrics.requests.inc({ api, route, method: request.method, status: statusClass(status) });
    metrics.requestSeconds.observe({ api, route, method: request.method }, seconds);
    request.log.debug({ api, route, method: request.method, status, ms: Math.round(reply.elapsedTime * 100) / 100 }, 'request completed');
    done();
  });
};
