export { seal, open, generateKey, IntegrityError, KEY_BYTES, FORMAT_V1 } from './aead.js';
export { rootKeyCheckAad, rootDerivationSecretAad, keyEncryptionKeyAad, dataKeyAad, payloadAad, auditSigningKeyAad } from './aad.js';
export { deriveKey } from './derive.js';
export { decodeRootKey, loadOrCreateRootKeyFile } from './root-key.js';
export { hashPassword, verifyPassword } from './passwords.js';
export { fileRootProtector, createRootKey } from './root-protector.js';
export type { RootKey, RootKeyProtector, RootProtectorKind } from './root-protector.js';
