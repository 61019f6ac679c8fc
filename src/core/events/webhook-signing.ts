import { createHmac, randomBytes } from 'node:crypto';
import { open, seal } from '../../crypto/index.js';

/** Shown to the creator once; receivers use the whole string, prefix included, as the HMAC key. */
export const newSigningSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

/** `v1=<hex HMAC-SHA256 over "<timestamp>.<body>">`: the timestamp is signed so an old request cannot be replayed as new. */
export const signatureOf = (secret: string, timestamp: number, body: string): string =>
  `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

// The AAD binds a sealed secret to its subscription: copied to another row it fails to open.
const aadOf = (webhookId: string, organizationId: string): Buffer =>
  Buffer.from(['coffer/webhook-signing-secret/v1', webhookId, organizationId].join('\u0000'), 'utf8');

/** The label of the key derived from the root key that seals signing secrets, and nothing else. */
export const WEBHOOK_SECRET_KEY_LABEL = 'coffer/webhook-signing-secret/v1';

/** Seals and opens signing secrets under `key`, derived from the root key with WEBHOOK_SECRET_KEY_LABEL. */
export const createSecretSealer = (key: Uint8Array) => ({
  seal: (webhookId: string, organizationId: string, secret: string): Buffer => seal(key, Buffer.from(secret, 'utf8'), aadOf(webhookId, organizationId)),
  open: (webhookId: string, organizationId: string, sealed: Uint8Array): string => open(key, sealed, aadOf(webhookId, organizationId)).toString('utf8'),
});

export type SecretSealer = ReturnType<typeof createSecretSealer>;
