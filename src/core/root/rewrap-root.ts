import { auditSigningKeyAad, keyEncryptionKeyAad, rootDerivationSecretAad, rootKeyCheckAad, type RootKey } from '../../crypto/index.js';
import { StartupError } from '../../shared/startup-error.js';
import type { AuditStore } from '../audit/index.js';
import { keyMaterialAad } from '../kms/index.js';
import type { RootMetaName, RootStore } from './root-store.js';

/** One value the root key wraps: where it is, its AAD, and how to swap it. */
interface Wrapped {
  what: string;
  blob: Uint8Array;
  aad: Buffer;
  replace(next: Uint8Array): Promise<boolean>;
}

const meta = async (store: RootStore, name: RootMetaName, aad: Buffer): Promise<Wrapped[]> => {
  const blob = await store.getMeta(name);
  return blob ? [{ what: name, blob, aad, replace: (next) => store.replaceMeta(name, blob, next) }] : [];
};

/** Everything the root key wraps, the check value last: it moves only once all the rest has. */
const everything = async (store: RootStore, audit: AuditStore): Promise<Wrapped[]> => [
  ...(await store.listKeks()).map((kek) => ({
    what: `key-encryption key ${kek.id}`,
    blob: kek.wrappedKey,
    aad: keyEncryptionKeyAad(kek.id, kek.projectId, kek.region),
    replace: (next: Uint8Array) => store.replaceKek(kek.id, kek.wrappedKey, next),
  })),
  ...(await store.listKeyVersions()).map((version) => ({
    what: `version ${version.version} of key ${version.keyId}`,
    blob: version.wrappedMaterial,
    aad: keyMaterialAad(version.keyId, version.version, version.projectId, version.region),
    replace: (next: Uint8Array) => store.replaceKeyVersion(version.id, version.wrappedMaterial, next),
  })),
  ...(await audit.listSigningKeys()).map((key) => ({
    what: `audit signing key ${key.keyId}`,
    blob: key.sealedPrivateKey,
    aad: auditSigningKeyAad(key.keyId),
    replace: (next: Uint8Array) => audit.resealSigningKey(key.keyId, key.sealedPrivateKey, next),
  })),
  ...(await meta(store, 'root_derivation_secret', rootDerivationSecretAad())),
  ...(await meta(store, 'root_key_check', rootKeyCheckAad())),
];

/**
 * Re-wraps, under the primary protector, every value another protector still holds.
 * Readers keep working throughout: each value is readable under whichever protector its
 * format byte names. A value another process re-wrapped first is skipped. Returns how
 * many values this call moved.
 */
export const rewrapUnderPrimary = async ({
  rootKey,
  store,
  audit,
  announce,
  from,
}: {
  rootKey: RootKey;
  store: RootStore;
  audit: AuditStore;
  announce: (line: string) => void;
  from: string;
}): Promise<number> => {
  const pending = (await everything(store, audit)).filter((value) => !rootKey.isCurrent(value.blob));
  if (pending.length === 0) {
    return 0;
  }
  announce(`Root key migration: re-wrapping ${pending.length} values from ${from} to ${rootKey.primary.description}.`);
  let moved = 0;
  for (const value of pending) {
    let plaintext: Buffer;
    try {
      plaintext = rootKey.unwrap(value.blob, value.aad);
    } catch (error) {
      throw new StartupError(`root key migration stopped: ${value.what} does not open under ${from} (${error instanceof Error ? error.message : String(error)}); nothing is lost, every value is still readable under the key that wrapped it`, { cause: error });
    }
    if (await value.replace(rootKey.wrap(plaintext, value.aad))) {
      moved += 1;
    }
    plaintext.fill(0);
  }
  announce(`Root key migration: done, ${moved} of ${pending.length} values re-wrapped by this process; everything is now wrapped by ${rootKey.primary.description}.`);
  return moved;
};
