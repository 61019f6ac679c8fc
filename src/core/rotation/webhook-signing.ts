import { createHmac, randomBytes } from 'node:crypto';
import { open, seal } from '../../crypto/index.js';

/** The derivation label of the sealing key (main.ts derives it from the root key) and the AAD's first part. */
export const SIGNING_SECRET_LABEL = 'coffer/rotation-signing-secret/v1';
const LABEL = SIGNING_SECRET_LABEL;

/** The AAD binds a sealed signing secret to its secret and key id: moved to another row, it fails to open. */
const aadOf = (secretId: string, signingKeyId: string): Buffer => Buffer.from([LABEL, secretId, signingKeyId].join('\u0000'), 'utf8');

/** Seals and opens webhook signing secrets under `key`, derived from the root key for this purpose only. */
export const createSigningSecrets = (key: Uint8Array) => {
  return {
    /** A new secret, shown to the caller once; receivers use its UTF-8 bytes as the HMAC key. */
    generate: (): string => `whsec_${randomBytes(32).toString('base64url')}`,
    seal: (secretId: string, signingKeyId: string, secret: string): Buffer => seal(key, Buffer.from(secret, 'utf8'), aadOf(secretId, signingKeyId)),
    open: (secretId: string, signingKeyId: string, sealed: Uint8Array): string => open(key, sealed, aadOf(secretId, signingKeyId)).toString('utf8'),
  };
};

export type SigningSecrets = ReturnType<typeof createSigningSecrets>;

/** `v1=<hex HMAC-SHA256 over "<timestamp>.<body>">`, the value of `X-Coffer-Signature`. */
export const signatureOf = (signingSecret: string, timestamp: string, body: string): string =>
  `v1=${createHmac('sha256', Buffer.from(signingSecret, 'utf8')).update(`${timestamp}.${body}`).digest('hex')}`;
