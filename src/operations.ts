import type { Server as TlsServer } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/config.js';
import { createCofferMetrics, registeredRoutes, type CofferMetrics, type OperationsOptions, type ReadinessChecks } from './http/observability/index.js';
import { loadTlsMaterial, reloadTls, TlsFileError, type TlsPaths } from './http/tls/tls-files.js';
import type { EventStore } from './core/events/index.js';
import type { Scheduler } from './core/scheduler/index.js';
import type { Logger } from './shared/logger.js';
import { NO_CACHE_METER, type CacheMeter } from './shared/metrics.js';
import { StartupError } from './shared/startup-error.js';

/**
 * What `startServer` needs for operating Coffer: the TLS listener and its reload,
 * metrics, probes. Built first, so a bad certificate stops start-up before the store opens.
 */
export interface ServerOperations {
  /** Null when COFFER_METRICS=off. */
  metrics: CofferMetrics | null;
  https: { cert: Buffer; key: Buffer } | undefined;
  scheme: 'http' | 'https';
  appOptions(readiness: ReadinessChecks): OperationsOptions;
  /** A named cache's meter; one that counts nothing when metrics are off. */
  cacheMeter(cache: string): CacheMeter;
  /** Gauges read from running modules at each scrape: the scheduler, the webhook backlog. */
  watch(modules: { scheduler: Pick<Scheduler, 'status'>; events: Pick<EventStore, 'headSequence' | 'findDueWebhooks'> }): void;
  /** Re-reads the certificate and key for new connections (SIGHUP); false keeps the old pair. */
  reloadTls(app: FastifyInstance): boolean;
  routes(app: FastifyInstance): readonly { method: string; url: string }[];
}

/** Enough for a backlog gauge without making a scrape scan every subscription. */
const WATCHED_WEBHOOKS = 1000;

export const prepareOperations = (config: Config, logger: Logger): ServerOperations => {
  const paths: TlsPaths | null = config.tlsCert && config.tlsKey ? { certPath: config.tlsCert, keyPath: config.tlsKey } : null;
  let https: ServerOperations['https'];
  if (paths) {
    try {
      const material = loadTlsMaterial(paths);
      https = { cert: material.cert, key: material.key };
      logger.info({ certificate: material.summary }, 'TLS certificate loaded');
    } catch (error) {
      throw error instanceof TlsFileError ? new StartupError(error.message) : error;
    }
  }
  const metrics = config.metrics === 'on' ? createCofferMetrics() : null;
  return {
    metrics,
    https,
    scheme: paths ? 'https' : 'http',
    appOptions: (readiness) => ({ metrics, readiness }),
    cacheMeter: (cache) => metrics?.cacheMeter(cache) ?? NO_CACHE_METER,
    watch: ({ scheduler, events }) => {
      if (!metrics) {
        return;
      }
      metrics.registerGauge('coffer_scheduler_leader', '1 while this process holds the scheduler\'s leader lock.', () => (scheduler.status().leader ? 1 : 0));
      metrics.registerGauge('coffer_scheduler_lag_seconds', 'How much later than planned the last scheduler pass began, in seconds.', () => scheduler.status().lagSeconds);
      metrics.registerGauge('coffer_webhook_backlog_events', 'Events not yet delivered, summed over enabled webhooks (the first 1000).', async () => {
        const head = await events.headSequence();
        const behind = await events.findDueWebhooks(Number.MAX_SAFE_INTEGER, head, WATCHED_WEBHOOKS);
        return behind.reduce((total, webhook) => total + Math.max(0, head - webhook.cursor), 0);
      });
    },
    reloadTls: (app) => {
      if (!paths) {
        logger.info({}, 'SIGHUP: no TLS certificate is configured, nothing to reload');
        return false;
      }
      // With `https` set, Fastify's server is a TLS server.
      return reloadTls(app.server as unknown as TlsServer, paths, logger);
    },
    routes: (app) => registeredRoutes(app),
  };
};
