import {
  dataKeyAad,
  generateKey,
  IntegrityError,
  keyEncryptionKeyAad,
  open,
  payloadAad,
  rootKeyCheckAad,
  seal,
  type RootKey,
} from '../../crypto/index.js';
import type { Clock } from '../../shared/clock.js';
import { AppError, isAppError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { NO_CACHE_METER, type CacheMeter } from '../../shared/metrics.js';
import type { SealedPayload } from '../secrets/secret-model.js';
import type { KeyEncryptionKeyRecord, KeyScope, KeyStore } from './key-store.js';

/**
 * Customer-managed keys (core/kms) plug in here: when a secret names a key, its data
 * keys are wrapped by that key's current version instead of the project's KEK.
 */
export interface CustomerKeyEnvelope {
  /** Resolves the key's current version before a write transaction, refusing a key that cannot be used. */
  prepareWrap(keyId: string, scope: KeyScope): Promise<{ kekId: string; wrap(identity: PayloadIdentity, dekId: string, dek: Uint8Array): Buffer }>;
  /** The data key of a version, refusing (with the key named) when the key cannot be used. */
  unwrap(keyId: string, identity: PayloadIdentity, sealed: SealedPayload): Promise<Buffer>;
}

export interface KeyServiceDeps {
  store: KeyStore;
  rootKey: RootKey;
  clock: Clock;
  customerKeys?: CustomerKeyEnvelope;
  /** Counts the unwrapped-KEK cache's hits and misses (metrics). */
  cacheMeter?: CacheMeter;
}

/** Identity of the version a payload belongs to; it is bound into every layer's AAD. */
export interface PayloadIdentity {
  projectId: string;
  region: string;
  secretId: string;
  revision: number;
  /** The customer-managed key the secret chose; null or absent: the project's KEK. */
  keyId?: string | null;
}

const integrityFailure = (cause: unknown): AppError =>
  new AppError(
    'integrity',
    'the stored data of this secret version failed its integrity check and was not returned',
    {},
    { cause },
  );

/**
 * Envelope encryption: root key → key-encryption key per (project, region) → data key
 * per version → payload. Unwrapped KEKs are cached in memory for the hot read path;
 * data keys are never cached, so each read authenticates the whole chain.
 */
export const createKeyService = ({ store, rootKey, clock, customerKeys, cacheMeter = NO_CACHE_METER }: KeyServiceDeps) => {
  const unwrappedKeks = new Map<string, Buffer>();

  const unwrapKek = (record: KeyEncryptionKeyRecord): Buffer => {
    const cached = unwrappedKeks.get(record.id);
    if (cached) {
      cacheMeter.hit();
      return cached;
    }
    cacheMeter.miss();
    const key = rootKey.unwrap(record.wrappedKey, keyEncryptionKeyAad(record.id, record.projectId, record.region));
    unwrappedKeks.set(record.id, key);
    return key;
  };

  const createKek = async (scope: KeyScope, generation: number): Promise<KeyEncryptionKeyRecord> => {
    const id = newId();
    const record: KeyEncryptionKeyRecord = {
      id,
      projectId: scope.projectId,
      region: scope.region,
      generation,
      wrappedKey: rootKey.wrap(generateKey(), keyEncryptionKeyAad(id, scope.projectId, scope.region)),
      createdAt: clock.nowMicros(),
    };
    await store.insertKek(record);
    return record;
  };

  /** The active KEK of a scope, created on first use; a concurrent creator wins and is reused. */
  const activeKek = async (scope: KeyScope): Promise<KeyEncryptionKeyRecord> => {
    const existing = await store.getActiveKek(scope.projectId, scope.region);
    if (existing) {
      return existing;
    }
    try {
      return await createKek(scope, 1);
    } catch (error) {
      if (isAppError(error) && error.code === 'already_exists') {
        const winner = await store.getActiveKek(scope.projectId, scope.region);
        if (winner) {
          return winner;
        }
      }
      throw error;
    }
  };

  const kekById = async (id: string): Promise<KeyEncryptionKeyRecord> => {
    const record = await store.getKek(id);
    if (!record) {
      throw integrityFailure(new Error(`key-encryption key ${id} is missing`));
    }
    return record;
  };

  const kekBytes = async (id: string): Promise<Buffer> => unwrappedKeks.get(id) ?? unwrapKek(await kekById(id));

  const customerDataKey = (keyId: string, identity: PayloadIdentity, sealed: SealedPayload): Promise<Buffer> => {
    if (!customerKeys) {
      throw new AppError('internal', 'customer-managed keys are not wired into the key service');
    }
    return customerKeys.unwrap(keyId, identity, sealed);
  };

  return {
    /**
     * Refuses to run with a root key other than the one the store was created with: a
     * process started with the wrong key would otherwise write data nobody can read.
     */
    async verifyRootKey(): Promise<void> {
      if (!(await store.getRootKeyCheck())) {
        await store.putRootKeyCheckIfAbsent(rootKey.wrap(generateKey(), rootKeyCheckAad()));
      }
      const check = await store.getRootKeyCheck();
      try {
        if (!check) {
          throw new IntegrityError('no root key check value');
        }
        rootKey.unwrap(check, rootKeyCheckAad());
      } catch (error) {
        throw new AppError(
          'failed_precondition',
          'the root key does not match this store: start every process with the root key the store was created with (COFFER_ROOT_KEY or <data-dir>/root.key)',
          {},
          { cause: error },
        );
      }
    },

    /** Resolves the KEK before a write transaction, so the transaction does no key I/O. */
    async prepareSealer(scope: KeyScope): Promise<(identity: PayloadIdentity, plaintext: Uint8Array) => SealedPayload> {
      if (scope.keyId) {
        if (!customerKeys) {
          throw new AppError('internal', 'customer-managed keys are not wired into the key service');
        }
        const { kekId, wrap } = await customerKeys.prepareWrap(scope.keyId, scope);
        return (identity, plaintext) => {
          const dekId = newId();
          const dek = generateKey();
          return { dekId, kekId, wrappedDek: wrap(identity, dekId, dek), ciphertext: seal(dek, plaintext, payloadAad(identity.secretId, identity.revision, dekId)) };
        };
      }
      const kekRecord = await activeKek(scope);
      const kek = unwrapKek(kekRecord);
      return (identity, plaintext) => {
        const dekId = newId();
        const dek = generateKey();
        return {
          dekId,
          kekId: kekRecord.id,
          wrappedDek: seal(kek, dek, dataKeyAad(kekRecord.id, identity.secretId, identity.revision, dekId)),
          ciphertext: seal(dek, plaintext, payloadAad(identity.secretId, identity.revision, dekId)),
        };
      };
    },

    /** Decrypts a version's payload; any mismatch of key, row or bytes is an integrity error. */
    async openPayload(identity: PayloadIdentity, sealed: SealedPayload): Promise<Buffer> {
      try {
        const dek = identity.keyId
          ? await customerDataKey(identity.keyId, identity, sealed)
          : open(await kekBytes(sealed.kekId), sealed.wrappedDek, dataKeyAad(sealed.kekId, identity.secretId, identity.revision, sealed.dekId));
        return open(dek, sealed.ciphertext, payloadAad(identity.secretId, identity.revision, sealed.dekId));
      } catch (error) {
        if (error instanceof IntegrityError) {
          throw integrityFailure(error);
        }
        throw error;
      }
    },

    listScopes: (): Promise<KeyScope[]> => store.listKeyScopes(),

    /** Creates the scope's KEK now rather than with its first secret (an OKMS domain's default key, made when its region is activated). */
    async ensureDefaultKey(scope: KeyScope): Promise<{ kekId: string; generation: number }> {
      const kek = await activeKek({ projectId: scope.projectId, region: scope.region });
      return { kekId: kek.id, generation: kek.generation };
    },

    /**
     * Makes a new KEK generation active, then re-wraps every data key of the scope under
     * it in batches. Reads keep working throughout: each row names the KEK that wraps it
     * and old generations are kept. A re-wrap that races a concurrent one is skipped.
     */
    async rotate(
      scope: KeyScope,
      onProgress: (done: number, total: number) => void = () => {},
    ): Promise<{ kekId: string; generation: number; rewrapped: number }> {
      const current = await activeKek(scope);
      const next = await createKek(scope, current.generation + 1);
      const kek = unwrapKek(next);
      const total = await store.countDataKeysNotUnder(scope, next.id);
      let done = 0;
      onProgress(done, total);
      for (;;) {
        const batch = await store.listDataKeysNotUnder(scope, next.id, 200);
        if (batch.length === 0) {
          break;
        }
        let progressed = false;
        for (const row of batch) {
          const oldKek = await kekBytes(row.kekId);
          const dek = open(oldKek, row.wrappedDek, dataKeyAad(row.kekId, row.secretId, row.revision, row.dekId));
          const wrappedDek = seal(kek, dek, dataKeyAad(next.id, row.secretId, row.revision, row.dekId));
          if (await store.rewrapDataKey({ ...row, kekId: next.id, wrappedDek }, row.kekId)) {
            done += 1;
            progressed = true;
          }
        }
        onProgress(Math.min(done, total), total);
        // A newer rotation running at the same time owns the remaining rows.
        if (!progressed) {
          break;
        }
      }
      return { kekId: next.id, generation: next.generation, rewrapped: done };
    },
  };
};

export type KeyService = ReturnType<typeof createKeyService>;
