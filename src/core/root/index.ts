export { openRootKey } from './open-root-key.js';
export type { RootKeySetup } from './open-root-key.js';
export type { RootStore, RootWrappedKek, RootWrappedKeyVersion, RootMetaName } from './root-store.js';
