import type { FastifyInstance } from 'fastify';
import type { CofferServices } from '../services.js';

/** A Vault mount: `secret` always exists; others come from configuration. */
export interface VaultMount {
  path: string;
  /** null: the caller's default project. */
  projectId: string | null;
  /** null: the server's default region. */
  region: string | null;
}

export interface VaultApiOptions {
  mounts: readonly VaultMount[];
  defaultRegion: string;
  /** OVHcloud's KV2-compatible API: one mount, `secret`, in the domain named by the `okmsId` path parameter. */
  domainFromParam: boolean;
}

/** Vault KV v2 and the sys/auth endpoints its clients call. */
export const registerVaultApi = (_app: FastifyInstance, _services: CofferServices, _options: VaultApiOptions): void => {};
