export { openHsmKey, createHsmKey } from './pkcs11-token.js';
export type { HsmKey, HsmSettings } from './pkcs11-token.js';
export { hsmRootProtector, HSM_FORMAT } from './hsm-protector.js';
