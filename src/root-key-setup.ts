import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config/config.js';
import { openRootKey, type RootKeySetup } from './core/root/index.js';
import { decodeRootKey, fileRootProtector, loadOrCreateRootKeyFile, type RootKey, type RootKeyProtector } from './crypto/index.js';
import { hsmRootProtector, openHsmKey, type HsmKey } from './hsm/index.js';
import { StartupError } from './shared/startup-error.js';
import type { Storage } from './storage/index.js';

export type RootKeyConfig = Pick<
  Config,
  'dataDir' | 'rootKey' | 'rootKeyPrimary' | 'hsmModule' | 'hsmSlot' | 'hsmTokenLabel' | 'hsmPin' | 'hsmPinFile' | 'hsmKeyLabel'
>;

const readPin = (config: RootKeyConfig): string => {
  if (config.hsmPin !== undefined) {
    return config.hsmPin;
  }
  try {
    return readFileSync(config.hsmPinFile ?? '', 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new StartupError(`cannot read the HSM PIN file ${String(config.hsmPinFile)}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`, { cause: error });
  }
};

/** The HSM's settings from the configuration; the PIN is read here and only handed to the login. */
export const hsmSettingsOf = (config: RootKeyConfig) => ({
  module: config.hsmModule ?? '',
  slot: config.hsmSlot,
  tokenLabel: config.hsmTokenLabel,
  pin: readPin(config),
  keyLabel: config.hsmKeyLabel,
});

/**
 * The file key: COFFER_ROOT_KEY, else <data-dir>/root.key. As the primary it is created on
 * first start; as the previous one it is only read, and only if it is there.
 */
const fileProtector = (config: RootKeyConfig, primary: boolean): { protector: RootKeyProtector; key: Buffer; createdAt?: string } | undefined => {
  const path = join(config.dataDir, 'root.key');
  if (config.rootKey) {
    const key = decodeRootKey(config.rootKey);
    return { protector: fileRootProtector(key, 'the root key in COFFER_ROOT_KEY'), key };
  }
  if (!primary && !existsSync(path)) {
    return undefined;
  }
  const { key, created } = loadOrCreateRootKeyFile(path);
  return { protector: fileRootProtector(key, `the root key file ${path}`), key, ...(created ? { createdAt: path } : {}) };
};

/**
 * Which protectors this process runs with: the primary wraps, the other one (when both a
 * file key and an HSM are configured) only unwraps what it still holds until a start-up
 * re-wraps it. `close` ends the HSM session.
 */
export interface RootProtectors {
  setup: RootKeySetup;
  /** A root key file this start created: removed again if the store turns out to be held by another key. */
  createdFile?: string | undefined;
  close(): void;
}

export const openRootProtectors = async (config: RootKeyConfig): Promise<RootProtectors> => {
  const primaryKind = config.rootKeyPrimary ?? (config.hsmModule ? 'hsm' : 'file');
  // The HSM first: a start it refuses must not leave a new root.key behind.
  let hsm: HsmKey | undefined;
  if (config.hsmModule) {
    hsm = await openHsmKey(hsmSettingsOf(config));
  }
  const file = fileProtector(config, primaryKind === 'file');
  const hsmProtector = hsm ? hsmRootProtector(hsm) : undefined;
  const primary = primaryKind === 'hsm' ? hsmProtector : file?.protector;
  if (!primary) {
    throw new StartupError('no root key is configured');
  }
  return {
    setup: { primary, previous: primaryKind === 'hsm' ? file?.protector : hsmProtector, fileKey: file?.key },
    createdFile: file?.createdAt,
    close: () => hsm?.close(),
  };
};

/** Verifies the store's root key and finishes any migration; on failure closes the store and the HSM session. */
export const unlockStore = async (
  protectors: RootProtectors,
  storage: Pick<Storage, 'root' | 'audit' | 'close'>,
  announce: (line: string) => void,
): Promise<RootKey> => {
  try {
    return await openRootKey({ setup: protectors.setup, store: storage.root, audit: storage.audit, announce });
  } catch (error) {
    await storage.close();
    protectors.close();
    if (protectors.createdFile) {
      rmSync(protectors.createdFile, { force: true });
    }
    throw error;
  }
};
