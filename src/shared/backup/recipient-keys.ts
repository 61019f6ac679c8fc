import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, type KeyObject } from 'node:crypto';

/**
 * X25519 recipient keys for backups and exports. The importer (or whoever restores)
 * keeps the secret key; the public key is given to whoever seals data for them.
 * Text forms carry a prefix so that one is never mistaken for the other.
 */
export const PUBLIC_KEY_PREFIX = 'coffer-x25519-public:';
export const SECRET_KEY_PREFIX = 'coffer-x25519-secret:';

export class RecipientKeyError extends Error {}

export interface RecipientKeyPair {
  publicKey: string;
  secretKey: string;
}

const RAW_KEY = /^[A-Za-z0-9_-]{43}$/;
/** PKCS#8 framing of an X25519 private key (RFC 8410), before its 32 bytes. */
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

const rawOf = (text: string, prefix: string, what: string): string => {
  const trimmed = text.trim();
  const raw = trimmed.startsWith(prefix) ? trimmed.slice(prefix.length) : '';
  if (!RAW_KEY.test(raw)) {
    throw new RecipientKeyError(`not a Coffer ${what}: expected "${prefix}" followed by 43 base64url characters`);
  }
  return raw;
};

export const generateRecipientKeyPair = (): RecipientKeyPair => {
  const { privateKey } = generateKeyPairSync('x25519');
  const jwk = privateKey.export({ format: 'jwk' });
  if (typeof jwk.d !== 'string' || typeof jwk.x !== 'string') {
    throw new RecipientKeyError('X25519 key export lacks its fields');
  }
  return { publicKey: `${PUBLIC_KEY_PREFIX}${jwk.x}`, secretKey: `${SECRET_KEY_PREFIX}${jwk.d}` };
};

export const parsePublicKey = (text: string): KeyObject =>
  createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: rawOf(text, PUBLIC_KEY_PREFIX, 'public key') }, format: 'jwk' });

/** The secret key and the public key it belongs to (derived, so a mismatch cannot exist). */
export const parseSecretKey = (text: string): { privateKey: KeyObject; publicKey: string } => {
  // A JWK private key needs its public half too; PKCS#8 takes the 32 secret bytes alone.
  const der = Buffer.concat([X25519_PKCS8_PREFIX, Buffer.from(rawOf(text, SECRET_KEY_PREFIX, 'secret key'), 'base64url')]);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  return { privateKey, publicKey: `${PUBLIC_KEY_PREFIX}${String(jwk.x)}` };
};

/** A key file may hold comments (`# public key: …`); the secret key is its one other line. */
export const secretKeyInFile = (content: string): string => {
  const line = content.split('\n').find((candidate) => candidate.trim().startsWith(SECRET_KEY_PREFIX));
  if (line === undefined) {
    throw new RecipientKeyError(`no line starting with "${SECRET_KEY_PREFIX}" in the key file`);
  }
  return line.trim();
};

const rawPublic = (key: KeyObject): Buffer => Buffer.from(String(key.export({ format: 'jwk' }).x), 'base64url');

/**
 * Ephemeral-static ECDH: a fresh key pair per file, so each file has its own keys. The
 * HKDF salt binds both public keys; `info` separates the uses (archive, export).
 */
export const keysForRecipient = (recipient: string, info: string, length: number): { ephemeralPublicKey: string; okm: Buffer } => {
  const recipientKey = parsePublicKey(recipient);
  const ephemeral = generateKeyPairSync('x25519');
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipientKey });
  const ephemeralRaw = rawPublic(ephemeral.publicKey);
  const okm = Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeralRaw, rawPublic(recipientKey)]), info, length));
  return { ephemeralPublicKey: ephemeralRaw.toString('base64url'), okm };
};

/** The recipient's side of `keysForRecipient`. */
export const keysFromEphemeral = (secretKey: string, ephemeralPublicKey: string, info: string, length: number): Buffer => {
  const { privateKey, publicKey } = parseSecretKey(secretKey);
  if (!RAW_KEY.test(ephemeralPublicKey)) {
    throw new RecipientKeyError('the ephemeral public key is malformed');
  }
  const ephemeral = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: ephemeralPublicKey }, format: 'jwk' });
  const shared = diffieHellman({ privateKey, publicKey: ephemeral });
  const salt = Buffer.concat([Buffer.from(ephemeralPublicKey, 'base64url'), Buffer.from(publicKey.slice(PUBLIC_KEY_PREFIX.length), 'base64url')]);
  return Buffer.from(hkdfSync('sha256', shared, salt, info, length));
};
