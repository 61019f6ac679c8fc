import { seal, open } from '../../crypto/index.js';
import { AppError, invalidField, preconditionFailed } from '../../shared/errors.js';
import type { CustomerKeyEnvelope, KeyScope, PayloadIdentity } from '../keys/index.js';
import type { SealedPayload } from '../secrets/index.js';
import { secretDataKeyAad } from './kms-crypto.js';
import type { CustomerKey } from './kms-model.js';
import { describeKey, keyUnusable, type Keyring } from './keyring.js';
import type { KmsStore } from './kms-store.js';

const keyGone = (keyId: string): AppError =>
  preconditionFailed('key_deleted', `the encryption key ${keyId} of this secret was deleted: the secret's data cannot be read any more`);

/** Why this secret's data cannot be read or written through its key now; null when it can. */
const secretKeyRefusal = (key: CustomerKey): AppError | null => {
  const refusal = keyUnusable(key, "read or write this secret's data");
  return refusal ? new AppError(refusal.code, `the encryption key of this secret, ${refusal.message}`, refusal.details) : null;
};

/**
 * Secrets under a customer-managed key: their data keys are wrapped by the key's
 * current version, and opening one needs the key enabled. Using a key through a
 * secret needs no key right: the secret's own rights decide.
 */
export const createSecretEnvelope = (store: KmsStore, keyring: Keyring, lookupKey: (id: string) => Promise<CustomerKey | null>) => {
  const usableKey = async (keyId: string): Promise<CustomerKey> => {
    const key = await lookupKey(keyId);
    if (!key) {
      throw keyGone(keyId);
    }
    const refusal = secretKeyRefusal(key);
    if (refusal) {
      throw refusal;
    }
    return key;
  };

  const envelope: CustomerKeyEnvelope = {
    async prepareWrap(keyId: string, scope: KeyScope) {
      const key = await usableKey(keyId);
      if (key.projectId !== scope.projectId || key.region !== scope.region) {
        throw preconditionFailed('key_scope', `${describeKey(key)} belongs to another project or region than this secret`);
      }
      const current = await keyring.byNumber(key, key.currentVersion);
      if (!current) {
        throw new AppError('integrity', `${describeKey(key)} has lost its current version`);
      }
      const { record, material } = current;
      return {
        kekId: record.id,
        wrap: (identity: PayloadIdentity, dekId: string, dek: Uint8Array) =>
          seal(material, dek, secretDataKeyAad(key.id, record.id, identity.secretId, identity.revision, dekId)),
      };
    },

    async unwrap(keyId: string, identity: PayloadIdentity, sealed: SealedPayload): Promise<Buffer> {
      const key = await usableKey(keyId);
      const material = await keyring.byId(key, sealed.kekId);
      if (!material) {
        throw new AppError('integrity', `the version of ${describeKey(key)} that wraps this secret version is missing`);
      }
      return open(material, sealed.wrappedDek, secretDataKeyAad(key.id, sealed.kekId, identity.secretId, identity.revision, sealed.dekId));
    },
  };

  return {
    envelope,

    /** Checks the key a new secret names: same organization, project and region, and usable. */
    async assertUsableBy(secret: { organizationId: string; projectId: string; region: string }, keyId: string): Promise<void> {
      const key = await store.getKey(keyId);
      if (!key || key.organizationId !== secret.organizationId) {
        throw invalidField('key_id', 'constraint', `key_id ${keyId} names no key of this organization`);
      }
      if (key.projectId !== secret.projectId || key.region !== secret.region) {
        throw invalidField('key_id', 'constraint', `${describeKey(key)} is in project ${key.projectId}, region ${key.region}: a secret uses a key of its own project and region`);
      }
      const refusal = keyUnusable(key, 'protect new secrets');
      if (refusal) {
        throw refusal;
      }
    },
  };
};

export type SecretEnvelope = ReturnType<typeof createSecretEnvelope>;
