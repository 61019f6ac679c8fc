import type * as Pkcs11Module from 'pkcs11js';
import { StartupError } from '../shared/startup-error.js';

type Pkcs11 = typeof Pkcs11Module;
type Handle = Buffer;

/** How to reach the AES key in the token; the PIN is used to log in and then forgotten. */
export interface HsmSettings {
  module: string;
  /** Slot id (as `softhsm2-util --show-slots` lists it); or find the token by label. */
  slot?: number | undefined;
  tokenLabel?: string | undefined;
  pin: string;
  keyLabel: string;
}

/** An AES-256 key that stays in the token: only AES-GCM encrypt and decrypt cross the boundary. */
export interface HsmKey {
  readonly description: string;
  encrypt(iv: Buffer, aad: Uint8Array, plaintext: Uint8Array): Buffer;
  /** Throws HsmIntegrityError when the tag does not authenticate. */
  decrypt(iv: Buffer, aad: Uint8Array, ciphertextAndTag: Uint8Array): Buffer;
  close(): void;
}

export class HsmIntegrityError extends Error {}

const GCM_TAG_BYTES = 16;
// What modules answer when a GCM tag does not authenticate: SoftHSM2 2.6 says CKR_GENERAL_ERROR.
const AUTHENTICATION_FAILURES = ['CKR_ENCRYPTED_DATA_INVALID', 'CKR_ENCRYPTED_DATA_LEN_RANGE', 'CKR_GENERAL_ERROR'];
// A session the token dropped (restart, network HSM failover): log in again once and retry.
const LOST_SESSION = ['CKR_SESSION_HANDLE_INVALID', 'CKR_SESSION_CLOSED', 'CKR_USER_NOT_LOGGED_IN', 'CKR_DEVICE_REMOVED', 'CKR_TOKEN_NOT_PRESENT'];

/** The CKR_ name of a PKCS#11 failure, or the message of any other error; neither carries a PIN. */
export const pkcs11Reason = (error: unknown): string => (error instanceof Error ? error.message.split('\n')[0] ?? error.name : String(error));

const loadModule = async (path: string): Promise<{ lib: Pkcs11; p11: InstanceType<Pkcs11['PKCS11']> }> => {
  let lib: Pkcs11;
  try {
    // Imported only when an HSM is configured: pkcs11js is an optional native addon.
    lib = (await import('pkcs11js')).default;
  } catch (error) {
    throw new StartupError(`the HSM support (npm package pkcs11js) is not installed or did not build: ${pkcs11Reason(error)}`, { cause: error });
  }
  const p11 = new lib.PKCS11();
  try {
    p11.load(path);
  } catch (error) {
    throw new StartupError(`cannot load the PKCS#11 module ${path}: ${pkcs11Reason(error)}`, { cause: error });
  }
  try {
    p11.C_Initialize();
  } catch (error) {
    if (pkcs11Reason(error) !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') {
      throw new StartupError(`the PKCS#11 module ${path} failed to initialize: ${pkcs11Reason(error)}`, { cause: error });
    }
  }
  return { lib, p11 };
};

const tokenName = (settings: HsmSettings): string =>
  settings.tokenLabel !== undefined ? `token "${settings.tokenLabel}"` : `the token in slot ${String(settings.slot)}`;

const findSlot = (p11: InstanceType<Pkcs11['PKCS11']>, settings: HsmSettings): Handle => {
  const slots = p11.C_GetSlotList(true);
  const labelled = slots.map((slot) => ({ slot, id: slot.readUIntLE(0, Math.min(slot.length, 6)), label: p11.C_GetTokenInfo(slot).label.trim() }));
  const found = labelled.find((entry) => (settings.tokenLabel !== undefined ? entry.label === settings.tokenLabel : entry.id === settings.slot));
  if (!found) {
    const present = labelled.filter((entry) => entry.label !== '').map((entry) => `"${entry.label}" (slot ${String(entry.id)})`).join(', ') || 'none';
    throw new StartupError(`${tokenName(settings)} was not found in the PKCS#11 module ${settings.module}; tokens present: ${present}`);
  }
  return found.slot;
};

/** Opens a logged-in session on the configured token; with `create`, a read-write one. */
const openSession = (lib: Pkcs11, p11: InstanceType<Pkcs11['PKCS11']>, slot: Handle, settings: HsmSettings, readWrite: boolean): Handle => {
  const session = p11.C_OpenSession(slot, lib.CKF_SERIAL_SESSION | (readWrite ? lib.CKF_RW_SESSION : 0));
  try {
    p11.C_Login(session, lib.CKU_USER, settings.pin);
  } catch (error) {
    const reason = pkcs11Reason(error);
    if (reason === 'CKR_USER_ALREADY_LOGGED_IN') {
      return session;
    }
    p11.C_CloseSession(session);
    const what = reason === 'CKR_PIN_INCORRECT' ? 'refused the PIN' : reason === 'CKR_PIN_LOCKED' ? 'has locked the PIN' : 'refused the login';
    throw new StartupError(`${tokenName(settings)} ${what} (${reason})`, { cause: error });
  }
  return session;
};

const findKeys = (lib: Pkcs11, p11: InstanceType<Pkcs11['PKCS11']>, session: Handle, label: string): Handle[] => {
  p11.C_FindObjectsInit(session, [
    { type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY },
    { type: lib.CKA_LABEL, value: label },
  ]);
  try {
    return p11.C_FindObjects(session, 10);
  } finally {
    p11.C_FindObjectsFinal(session);
  }
};

/** Connects to the token and finds the key by its label; every failure is a one-line StartupError. */
export const openHsmKey = async (settings: HsmSettings): Promise<HsmKey> => {
  const { lib, p11 } = await loadModule(settings.module);
  const slot = findSlot(p11, settings);
  let session = openSession(lib, p11, slot, settings, false);
  const keys = findKeys(lib, p11, session, settings.keyLabel);
  const [key] = keys;
  if (!key || keys.length > 1) {
    p11.C_CloseSession(session);
    throw new StartupError(
      keys.length > 1
        ? `${tokenName(settings)} holds ${keys.length} keys labelled "${settings.keyLabel}"; give the root key a label of its own`
        : `${tokenName(settings)} has no key labelled "${settings.keyLabel}": create it with \`coffer hsm init-key\``,
    );
  }
  const gcm = (iv: Buffer, aad: Uint8Array) => ({
    mechanism: lib.CKM_AES_GCM,
    parameter: { type: lib.CK_PARAMS_AES_GCM, iv, aad: Buffer.from(aad), ivBits: iv.length * 8, tagBits: GCM_TAG_BYTES * 8 },
  });
  // Calls are synchronous, so no other call can slip between an Init and its operation.
  const withSession = <T>(work: (current: Handle) => T): T => {
    try {
      return work(session);
    } catch (error) {
      if (!LOST_SESSION.includes(pkcs11Reason(error))) {
        throw error;
      }
      session = openSession(lib, p11, slot, settings, false);
      return work(session);
    }
  };
  return {
    description: `key "${settings.keyLabel}" on ${tokenName(settings)}`,
    encrypt: (iv, aad, plaintext) =>
      withSession((current) => {
        p11.C_EncryptInit(current, gcm(iv, aad), key);
        return Buffer.from(p11.C_Encrypt(current, Buffer.from(plaintext), Buffer.alloc(plaintext.length + GCM_TAG_BYTES)));
      }),
    decrypt: (iv, aad, data) =>
      withSession((current) => {
        p11.C_DecryptInit(current, gcm(iv, aad), key);
        try {
          return Buffer.from(p11.C_Decrypt(current, Buffer.from(data), Buffer.alloc(data.length)));
        } catch (error) {
          if (AUTHENTICATION_FAILURES.includes(pkcs11Reason(error))) {
            throw new HsmIntegrityError('the HSM could not authenticate the ciphertext');
          }
          throw error;
        }
      }),
    close: () => {
      try {
        p11.C_CloseSession(session);
      } catch {
        // Closing is best effort: the process is ending or the token is gone.
      }
    },
  };
};

/**
 * Generates the root key inside the token: AES-256, sensitive and not extractable, so
 * no one, Coffer included, can ever read its bytes; only encrypt and decrypt are allowed.
 */
export const createHsmKey = async (settings: HsmSettings): Promise<string> => {
  const { lib, p11 } = await loadModule(settings.module);
  const slot = findSlot(p11, settings);
  const session = openSession(lib, p11, slot, settings, true);
  try {
    if (findKeys(lib, p11, session, settings.keyLabel).length > 0) {
      throw new StartupError(`${tokenName(settings)} already holds a key labelled "${settings.keyLabel}"; it was left as it is`);
    }
    p11.C_GenerateKey(session, { mechanism: lib.CKM_AES_KEY_GEN }, [
      { type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY },
      { type: lib.CKA_KEY_TYPE, value: lib.CKK_AES },
      { type: lib.CKA_VALUE_LEN, value: 32 },
      { type: lib.CKA_LABEL, value: settings.keyLabel },
      { type: lib.CKA_TOKEN, value: true },
      { type: lib.CKA_PRIVATE, value: true },
      { type: lib.CKA_SENSITIVE, value: true },
      { type: lib.CKA_EXTRACTABLE, value: false },
      { type: lib.CKA_ENCRYPT, value: true },
      { type: lib.CKA_DECRYPT, value: true },
      { type: lib.CKA_WRAP, value: false },
      { type: lib.CKA_UNWRAP, value: false },
    ]);
    return `created AES-256 key "${settings.keyLabel}" on ${tokenName(settings)} (sensitive, not extractable)`;
  } finally {
    p11.C_CloseSession(session);
  }
};
