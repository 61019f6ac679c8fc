import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { generateKey, KEY_BYTES } from './aead.js';

/** Decodes a base64 root key and checks that it is 256 bits. */
export const decodeRootKey = (base64: string): Buffer => {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new Error(`the root key must be ${KEY_BYTES} bytes of base64, got ${key.length} bytes`);
  }
  return key;
};

/**
 * Reads the root key file, creating it (mode 0600) on first start. Returns whether
 * it was created so the caller can say so once.
 */
export const loadOrCreateRootKeyFile = (path: string): { key: Buffer; created: boolean } => {
  if (existsSync(path)) {
    return { key: decodeRootKey(readFileSync(path, 'utf8')), created: false };
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const key = generateKey();
  // 'wx' refuses to overwrite a key another process created in the meantime.
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return { key, created: true };
};
