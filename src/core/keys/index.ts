export { createKeyService } from './key-service.js';
export type { KeyService, PayloadIdentity, CustomerKeyEnvelope } from './key-service.js';
export type { KeyStore, KeyScope, KeyEncryptionKeyRecord, WrappedDataKeyRecord } from './key-store.js';
