import { randomBytes } from 'node:crypto';
import { createRootKey, KEY_BYTES, rootDerivationSecretAad, rootKeyCheckAad, type RootKey, type RootKeyProtector } from '../../crypto/index.js';
import { StartupError } from '../../shared/startup-error.js';
import type { AuditStore } from '../audit/index.js';
import { rewrapUnderPrimary } from './rewrap-root.js';
import type { RootStore } from './root-store.js';

export interface RootKeySetup {
  /** Wraps everything new. */
  primary: RootKeyProtector;
  /** Configured while moving from it to the primary: it only unwraps, and what it wrapped is re-wrapped at start. */
  previous?: RootKeyProtector | undefined;
  /** The file key's bytes when a file protector is configured: stores from before HSM support derive from it. */
  fileKey?: Uint8Array | undefined;
}

const nameOwner = (blob: Uint8Array): string => (blob[0] === 0x01 ? 'a root key file (COFFER_ROOT_KEY or <data-dir>/root.key)' : 'an HSM (COFFER_HSM_*)');

/** Checks the configured protectors against the store's check value, creating it in a new store. */
const verify = async (store: RootStore, protectors: readonly RootKeyProtector[], primary: RootKeyProtector): Promise<RootKeyProtector> => {
  if (!(await store.getMeta('root_key_check'))) {
    await store.putMetaIfAbsent('root_key_check', primary.wrap(randomBytes(KEY_BYTES), rootKeyCheckAad()));
  }
  const check = await store.getMeta('root_key_check');
  const owner = check && protectors.find((protector) => protector.owns(check));
  if (!check || !owner) {
    throw new StartupError(
      `this store's root key is held by ${check ? nameOwner(check) : 'nothing'}, which is not configured; see docs/hsm.md to move between a file key and an HSM`,
    );
  }
  try {
    owner.unwrap(check, rootKeyCheckAad());
  } catch (error) {
    throw new StartupError(
      `the root key does not match this store: ${owner.description} is not the key the store was created with (COFFER_ROOT_KEY, <data-dir>/root.key or COFFER_HSM_KEY_LABEL)`,
      { cause: error },
    );
  }
  return owner;
};

/**
 * The secret purpose keys derive from. Stores from before HSM support derive from the file
 * key itself, and keep doing so while their key is a file; an HSM store keeps a random
 * secret wrapped by the HSM (the file key's bytes when it came from a file, so derived keys
 * survive the move). It is held in memory, like unwrapped KEKs; the HSM key never is.
 */
const derivationSecret = async (store: RootStore, setup: RootKeySetup, checkOwner: RootKeyProtector, unwrap: RootKey['unwrap']): Promise<Uint8Array> => {
  const stored = await store.getMeta('root_derivation_secret');
  if (stored) {
    return unwrap(stored, rootDerivationSecretAad());
  }
  if (checkOwner.kind === 'file' && setup.primary.kind === 'file' && setup.fileKey) {
    return setup.fileKey;
  }
  const fresh = checkOwner.kind === 'file' && setup.fileKey ? setup.fileKey : randomBytes(KEY_BYTES);
  await store.putMetaIfAbsent('root_derivation_secret', setup.primary.wrap(fresh, rootDerivationSecretAad()));
  const winner = await store.getMeta('root_derivation_secret');
  if (!winner) {
    throw new StartupError('the root derivation secret could not be stored');
  }
  return unwrap(winner, rootDerivationSecretAad());
};

/**
 * Opens the store's root key: verifies it, re-wraps whatever the previous protector still
 * holds under the primary (online: values under either stay readable meanwhile), and
 * returns what the core wraps, unwraps and derives with.
 */
export const openRootKey = async ({
  setup,
  store,
  audit,
  announce,
}: {
  setup: RootKeySetup;
  store: RootStore;
  audit: AuditStore;
  announce: (line: string) => void;
}): Promise<RootKey> => {
  const protectors = setup.previous ? [setup.primary, setup.previous] : [setup.primary];
  const checkOwner = await verify(store, protectors, setup.primary);
  // Only to unwrap the stored derivation secret, before it is known: derives nothing.
  const unwrapping = createRootKey(protectors, Buffer.alloc(KEY_BYTES));
  const secret = await derivationSecret(store, setup, checkOwner, unwrapping.unwrap);
  const rootKey = createRootKey(protectors, secret);
  if (setup.previous) {
    const moved = await rewrapUnderPrimary({ rootKey, store, audit, announce, from: setup.previous.description });
    if (moved === 0) {
      announce(`Nothing is wrapped by ${setup.previous.description} any more: remove it from the configuration (and delete <data-dir>/root.key if it was a file).`);
    }
  }
  return rootKey;
};
