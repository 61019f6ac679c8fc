import { createKvContext, type KvServiceDeps } from './kv-context.js';
import { createKvDataOps } from './kv-data-ops.js';
import { createKvMetadataOps } from './kv-metadata-ops.js';
import type { KvService } from './kv-model.js';

export type { KvServiceDeps } from './kv-context.js';

/** Vault KV v2 semantics over the secret store: the one implementation both KV adapters use. */
export const createKvService = (deps: KvServiceDeps): KvService => {
  const context = createKvContext(deps);
  return { ...createKvDataOps(deps, context), ...createKvMetadataOps(deps, context) };
};
