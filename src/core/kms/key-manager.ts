import { createLocalInvalidation, EVERY_ENTRY, type CacheInvalidation } from '../cache/index.js';
import type { RootKey } from '../../crypto/index.js';
import type { CacheMeter } from '../../shared/metrics.js';
import { createKeyAdmin } from './key-admin.js';
import { createKeyCache } from './key-cache.js';
import { createKeyOperations } from './key-operations.js';
import { createKeyring } from './keyring.js';
import { createKmsContext, type KmsDeps } from './kms-context.js';
import { createKmsMaintenance } from './kms-maintenance.js';
import { createListingWarnings } from './listing-warnings.js';
import { createRewrapper } from './rewrap.js';
import { createSecretEnvelope } from './secret-envelope.js';

/**
 * Customer-managed keys: root key → key version (material wrapped by the root key) →
 * the data keys of the secrets that chose the key, and `encrypt`/`decrypt` for callers.
 */
export const createKeyManager = ({
  rootKey,
  invalidation = createLocalInvalidation(),
  cacheMeters = {},
  ...deps
}: KmsDeps & { rootKey: RootKey; invalidation?: CacheInvalidation; cacheMeters?: { keyState?: CacheMeter; keyMaterial?: CacheMeter } }) => {
  const cache = createKeyCache(deps.store, deps.clock, invalidation, cacheMeters.keyState);
  const store = cache.store;
  const keyring = createKeyring(store, rootKey, cacheMeters.keyMaterial);
  // A key purged on another process leaves no material in this one's memory either.
  invalidation.subscribe('kms-key', (id) => {
    if (id !== EVERY_ENTRY) {
      keyring.forget(id);
    }
  });
  const ctx = createKmsContext({ ...deps, store }, keyring);
  const rewrapper = createRewrapper(ctx);
  const secrets = createSecretEnvelope(store, keyring, cache.lookup);
  return {
    ...createKeyAdmin(ctx),
    ...createKeyOperations(ctx, rewrapper),
    /** Plugged into the key service: secrets whose `key_id` names a key. */
    envelope: secrets.envelope,
    assertUsableBy: secrets.assertUsableBy,
    /** `collectWarnings` (HTTP) and `warnAboutListed` (secret listings): keys scheduled for deletion. */
    ...createListingWarnings(store, deps.retentionSeconds),
    /** Policy rotations, unfinished re-wraps and purges; `stop` also waits for background re-wraps. */
    maintenance: createKmsMaintenance(ctx, rewrapper),
  };
};

export type KeyManager = ReturnType<typeof createKeyManager>;
