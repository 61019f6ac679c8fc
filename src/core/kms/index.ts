export { createKeyManager } from './key-manager.js';
export type { KeyManager } from './key-manager.js';
export type { KmsStore, KeyChange } from './kms-store.js';
export type { KmsAuthorizer } from './kms-context.js';
export type { CreateKeyInput, UpdateKeyInput, ListKeysInput } from './key-admin.js';
export type { RotationPolicyInput } from './key-rules.js';
export { MAX_PLAINTEXT_BYTES, MAX_CIPHERTEXT_BYTES } from './key-rules.js';
export * from './kms-model.js';
export { keyMaterialAad } from './kms-crypto.js';
