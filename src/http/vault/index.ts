import type { FastifyInstance } from 'fastify';
import { registerAuthentication } from '../auth.js';
import type { CofferServices } from '../services.js';
import { sendErrors } from './envelope.js';
import { handleVaultError } from './errors.js';
import { handleKvRequest } from './kv-routes.js';
import { mountTable, type VaultMount } from './mounts.js';
import { registerHealthRoute, registerSysRoutes } from './sys-routes.js';

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
  app.setNotFoundHandler((request, reply) => sendErrors(reply, 405, []));
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
