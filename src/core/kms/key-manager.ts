import { createKeyAdmin } from './key-admin.js';
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
export const createKeyManager = (deps: KmsDeps & { rootKey: Uint8Array }) => {
  const keyring = createKeyring(deps.store, deps.rootKey);
  const ctx = createKmsContext(deps, keyring);
  const rewrapper = createRewrapper(ctx);
  const secrets = createSecretEnvelope(deps.store, keyring);
  return {
    ...createKeyAdmin(ctx),
    ...createKeyOperations(ctx, rewrapper),
    /** Plugged into the key service: secrets whose `key_id` names a key. */
    envelope: secrets.envelope,
    assertUsableBy: secrets.assertUsableBy,
    /** Called by secret listings: warns about listed secrets whose key is scheduled for deletion. */
    warnAboutListed: createListingWarnings(deps.store, deps.retentionSeconds),
    /** Policy rotations, unfinished re-wraps and purges; `stop` also waits for background re-wraps. */
    maintenance: createKmsMaintenance(ctx, rewrapper),
  };
};

export type KeyManager = ReturnType<typeof createKeyManager>;
