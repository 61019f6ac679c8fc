export { seal, open, generateKey, IntegrityError, KEY_BYTES, FORMAT_V1 } from './aead.js';
export { rootKeyCheckAad, keyEncryptionKeyAad, dataKeyAad, payloadAad, auditSigningKeyAad } from './aad.js';
export { deriveKey } from './derive.js';
export { decodeRootKey, loadOrCreateRootKeyFile } from './root-key.js';
export { hashPassword, verifyPassword } from './passwords.js';
