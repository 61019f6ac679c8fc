/**
 * Additional authenticated data for each layer of the envelope. Each string names
 * the layer, so a key wrapped for one purpose can never be opened as another, and
 * carries the identity of the row, so a ciphertext copied to another row fails.
 * Changing any of these strings makes every stored ciphertext unreadable.
 */
const encode = (parts: readonly string[]): Buffer => Buffer.from(parts.join('\u0000'), 'utf8');

/** The value that proves, at start-up, that the root key is the one the store was created with. */
export const rootKeyCheckAad = (): Buffer => encode(['coffer/root-key-check/v1']);

/** The key-encryption key of a (project, region), wrapped by the root key. */
export const keyEncryptionKeyAad = (kekId: string, projectId: string, region: string): Buffer =>
  encode(['coffer/kek/v1', kekId, projectId, region]);

/** A version's data key, wrapped by its key-encryption key. */
export const dataKeyAad = (kekId: string, secretId: string, revision: number, dekId: string): Buffer =>
  encode(['coffer/dek/v1', kekId, secretId, String(revision), dekId]);

/** A version's payload, encrypted by its data key. */
export const payloadAad = (secretId: string, revision: number, dekId: string): Buffer =>
  encode(['coffer/payload/v1', secretId, String(revision), dekId]);

/** The audit trail's Ed25519 signing key (PKCS#8), sealed by the root key. */
export const auditSigningKeyAad = (keyId: string): Buffer => encode(['coffer/audit-signing-key/v1', keyId]);

/** The secret that purpose keys (HMAC keys…) derive from, when the root key is not a file. */
export const rootDerivationSecretAad = (): Buffer => encode(['coffer/root-derivation-secret/v1']);
