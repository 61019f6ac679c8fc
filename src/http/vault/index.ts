import type { FastifyInstance } from 'fastify';
import { registerAuthentication } from '../auth.js';
import type { CofferServices } from '../services.js';
import { sendErrors } from './envelope.js';
import { handleVaultError } from './errors.js';
import { registerFormBodyParser } from './form-body.js';
import { handleKvRequest } from './kv-routes.js';
import { mountTable, type VaultMount } from './mounts.js';
import { registerHealthRoute } from './health-route.js';
import { registerSysRoutes } from './sys-routes.js';

export type { VaultMount } from './mounts.js';

export interface VaultApiOptions {
  mounts: readonly VaultMount[];
  defaultRegion: string;
  /** OVHcloud's KV2-compatible API: one mount, `secret`, in the domain named by the `okmsId` path parameter. */
  domainFromParam: boolean;
}

const KV_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** Vault KV v2 and the sys/auth endpoints its clients call, in Vault's envelope and words. */
export const registerVaultApi = (app: FastifyInstance, services: CofferServices, options: VaultApiOptions): void => {
  app.setErrorHandler(handleVaultError);
  registerFormBodyParser(app);
  // Only `/v1` itself misses the wildcard with a verb Vault knows; other verbs are Vault's bare 405.
  app.setNotFoundHandler((request, reply) =>
    KV_METHODS.some((method) => method === request.method)
      ? sendErrors(reply, 404, ['no handler for route "". route entry not found.'])
      : sendErrors(reply, 405, []),
  );
  const mounts = mountTable(options.domainFromParam ? [] : options.mounts, options.defaultRegion);

  registerHealthRoute(app, services);
  app.register(async (authenticated) => {
    registerAuthentication(authenticated, services.iam);
    registerSysRoutes(authenticated, mounts);
    const routing = { services, mounts, domainFromParam: options.domainFromParam };
    authenticated.route({
      method: [...KV_METHODS],
      url: '/*',
      exposeHeadRoute: false,
      handler: (request, reply) => handleKvRequest(routing, request, reply),
    });
  });
};
