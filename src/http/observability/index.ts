import type { FastifyInstance } from 'fastify';
import { registerOpenApi } from '../openapi/openapi-route.js';
import type { CofferMetrics } from './coffer-metrics.js';
import { registerProbeRoutes, type ReadinessChecks } from './probe-routes.js';
import { registerRequestMetrics } from './request-metrics.js';

export { createCofferMetrics, type CofferMetrics } from './coffer-metrics.js';
export { PROBE_PATHS, apiLabel } from './request-metrics.js';
export type { ReadinessChecks } from './probe-routes.js';

export interface OperationsOptions {
  /** Absent when metrics are off: no /metrics and no per-request counting. */
  metrics: CofferMetrics | null;
  readiness: ReadinessChecks;
}

export interface RouteEntry {
  method: string;
  url: string;
}

const routeLists = new WeakMap<FastifyInstance, RouteEntry[]>();

/** Every route the server registered (HEAD twins left out), once it is ready. */
export const registeredRoutes = (app: FastifyInstance): readonly RouteEntry[] => routeLists.get(app) ?? [];

/**
 * What operators use: probes, metrics, the OpenAPI document, and the list of routes the
 * document is checked against. Called first in buildApp, so that every route is seen.
 */
export const registerOperations = (app: FastifyInstance, options: OperationsOptions): void => {
  const routes: RouteEntry[] = [];
  routeLists.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      if (method !== 'HEAD') {
        routes.push({ method, url: route.url });
      }
    }
  });
  if (options.metrics) {
    registerRequestMetrics(app, options.metrics);
  }
  registerProbeRoutes(app, options.readiness, options.metrics?.registry ?? null);
  registerOpenApi(app);
};
