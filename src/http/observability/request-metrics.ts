import type { FastifyInstance } from 'fastify';
import { wireApiOf } from '../wire-api.js';
import type { CofferMetrics } from './coffer-metrics.js';

/** Paths of the operator's probes: not an API, and never in the audit trail. */
export const PROBE_PATHS: ReadonlySet<string> = new Set(['/health', '/livez', '/readyz', '/metrics']);

const LABELLED_APIS: ReadonlySet<string> = new Set(['scaleway', 'vault', 'coffer', 'iam', 'key-manager', 'account']);

/**
 * Which API a request was for, as a closed set of label values: the audit trail's wire
 * API, with OVHcloud's two surfaces as one and the console's pages and session apart.
 */
export const apiLabel = (url: string): string => {
  if (url.startsWith('/coffer/v1/session') || url === '/console' || url.startsWith('/console/')) {
    return 'console';
  }
  if (url === '/v1') {
    return 'vault';
  }
  const api = wireApiOf(url);
  if (api === 'ovh' || api === 'ovh-vault') {
    return 'ovh';
  }
  if (LABELLED_APIS.has(api)) {
    return api;
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
