import { createHash, createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { auditSigningKeyAad, type RootKey } from '../../crypto/index.js';
import { checkpointMessage, type AuditCheckpoint } from '../../shared/audit/audit-record.js';
import type { Clock } from '../../shared/clock.js';
import type { StoredSigningKey } from './audit-model.js';
import type { AuditStore } from './audit-store.js';

export interface AuditSigner {
  keyId: string;
  /** Every signing key the trail has used, by id, as SPKI PEM: what a verifier needs. */
  publicKeys: ReadonlyMap<string, string>;
  sign(checkpoint: Omit<AuditCheckpoint, 'signature' | 'keyId'>): AuditCheckpoint;
}

const keyIdOf = (publicKeyPem: string): string => createHash('sha256').update(publicKeyPem).digest('hex').slice(0, 16);

const generate = (rootKey: RootKey, clock: Clock): StoredSigningKey => {
  const pair = generateKeyPairSync('ed25519');
  const publicKey = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const keyId = keyIdOf(publicKey);
  const privateDer = pair.privateKey.export({ type: 'pkcs8', format: 'der' });
  return { keyId, publicKey, sealedPrivateKey: rootKey.wrap(privateDer, auditSigningKeyAad(keyId)), createdAt: clock.nowMicros() };
};

/**
 * The checkpoint signer. The first process to start creates the key; every other process
 * (and every later start) unseals the same one, so one public key verifies all chains.
 */
export const loadAuditSigner = async ({ store, rootKey, clock }: { store: AuditStore; rootKey: RootKey; clock: Clock }): Promise<AuditSigner> => {
  let keys = await store.listSigningKeys();
  if (keys.length === 0) {
    await store.insertSigningKey(generate(rootKey, clock));
    keys = await store.listSigningKeys();
  }
  const current = keys[0];
  if (!current) {
    throw new Error('the audit signing key could not be stored');
  }
  const privateKey: KeyObject = createPrivateKey({
    key: rootKey.unwrap(current.sealedPrivateKey, auditSigningKeyAad(current.keyId)),
    format: 'der',
    type: 'pkcs8',
  });
  return {
    keyId: current.keyId,
    publicKeys: new Map(keys.map((key) => [key.keyId, key.publicKey])),
    sign: (checkpoint) => ({
      ...checkpoint,
      keyId: current.keyId,
      signature: sign(null, checkpointMessage(checkpoint), privateKey).toString('base64'),
    }),
  };
};
