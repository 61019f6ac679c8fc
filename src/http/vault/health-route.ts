import type { FastifyInstance } from 'fastify';
import { sendJson } from '../json.js';
import type { CofferServices } from '../services.js';
import { sendEmpty, sendErrors } from './envelope.js';
import { parseGoBool } from './fields.js';
import { stableId, VAULT_VERSION } from './mount-info.js';

type HealthQuery = Record<string, string | string[] | undefined>;

// Every status override Vault reads; Coffer is never a standby, uninitialized or a DR
// secondary, but a bad value of any of them is still refused as Vault refuses it.
const CODE_FIELDS = ['activecode', 'standbycode', 'sealedcode', 'uninitcode', 'drsecondarycode', 'perfstandbycode', 'performancestandbycode'] as const;
const BOOL_FIELDS = ['standbyok', 'perfstandbyok'] as const;

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/**
 * Go's strconv.Atoi, limited to statuses a response can carry: Node, like Go, cannot
 * write a status outside 100–999, and 1xx statuses are not final answers.
 */
const statusCode = (text: string): number | null => {
  if (!/^[-+]?[0-9]+$/.test(text)) {
    return null;
  }
  const code = Number(text);
  return code >= 200 && code <= 999 ? code : null;
};

/** The status sys/health answers with, or null when a query parameter is unreadable (a bare 400). */
export const healthStatus = (query: HealthQuery, healthy: boolean): number | null => {
  const codes = new Map<string, number>();
  for (const field of CODE_FIELDS) {
    const text = first(query[field]);
    if (text !== undefined) {
      const code = statusCode(text);
      if (code === null) {
        return null;
      }
      codes.set(field, code);
    }
  }
  for (const field of BOOL_FIELDS) {
    const text = first(query[field]);
    if (text !== undefined && text !== '' && parseGoBool(text) === null) {
      return null;
    }
  }
  // A store Coffer cannot reach is reported as Vault reports a sealed server.
  return healthy ? (codes.get('activecode') ?? 200) : (codes.get('sealedcode') ?? 503);
};

/** sys/health needs no token: load balancers, the Go client and node-vault's health() call it bare. */
export const registerHealthRoute = (app: FastifyInstance, services: CofferServices): void => {
  app.route({
    method: ['GET', 'HEAD'],
    url: '/sys/health',
    exposeHeadRoute: false,
    handler: async (request, reply) => {
      let healthy = true;
      try {
        await services.checkHealth();
      } catch (error) {
        request.log.warn({ err: error }, 'sys/health: the store did not answer');
        healthy = false;
      }
      const status = healthStatus(request.query as HealthQuery, healthy);
      if (status === null) {
        return sendErrors(reply, 400, []);
      }
      if (status === 204 || status === 304) {
        return sendEmpty(reply, status);
      }
      return sendJson(reply, status, {
        initialized: true,
        sealed: !healthy,
        standby: false,
        performance_standby: false,
        replication_performance_mode: 'disabled',
        replication_dr_mode: 'disabled',
        server_time_utc: Math.floor(Date.now() / 1000),
        version: VAULT_VERSION,
        // Vault leaves the cluster out while sealed.
        ...(healthy ? { cluster_name: 'coffer', cluster_id: stableId('cluster') } : {}),
      });
    },
  });
};
