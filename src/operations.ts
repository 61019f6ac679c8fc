import type { Server as TlsServer } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/config.js';
import { createCofferMetrics, registeredRoutes, type CofferMetrics, type OperationsOptions, type ReadinessChecks } from './http/observability/index.js';
import { loadTlsMaterial, reloadTls, TlsFileError, type TlsPaths } from './http/tls/tls-files.js';
import type { Logger } from './shared/logger.js';
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
  /** Re-reads the certificate and key for new connections (SIGHUP); false keeps the old pair. */
  reloadTls(app: FastifyInstance): boolean;
  routes(app: FastifyInstance): readonly { method: string; url: string }[];
}

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
