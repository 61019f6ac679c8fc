/** Rotation policies of secrets and the state of their rotations. Times are epoch microseconds. */

export const PASSWORD_CLASSES = ['lower', 'upper', 'digits', 'symbols'] as const;
export type PasswordClass = (typeof PASSWORD_CLASSES)[number];

export type GeneratorSpec =
  | { kind: 'password'; length: number; classes: readonly PasswordClass[]; key: string | null }
  | { kind: 'random_bytes'; length: number; encoding: 'base64' | 'base64url' | 'hex'; key: string | null }
  | { kind: 'api_key'; prefix: string; length: number; key: string | null };

export interface WebhookSpec {
  url: string;
  /** Attempts of one rotation before it is recorded as failed, the first included. */
  maxAttempts: number;
  timeoutSeconds: number;
}

export type RotationMethod = { type: 'generator'; generator: GeneratorSpec } | { type: 'webhook'; webhook: WebhookSpec };

/** Why a rotation failed, as a closed set a tool can branch on; the message says the rest. */
export type RotationFailureReason =
  | 'webhook_unreachable'
  | 'webhook_status'
  | 'webhook_invalid_reply'
  | 'invalid_value'
  | 'no_current_version'
  | 'secret_not_rotatable'
  | 'internal';

export interface RotationFailure {
  at: number;
  reason: RotationFailureReason;
  message: string;
  /** Attempts the failed rotation had made when this was recorded. */
  attempts: number;
}

/** Where a secret's rotations stand; written by the one process that claimed the rotation. */
export interface RotationState {
  /** When the next attempt is due: the next regular rotation, a retry, or the end of a claim's lease. */
  nextRotationAt: number;
  /** The rotation under way (kept across its retries, it is the webhook's idempotency key); null when none is. */
  rotationId: string | null;
  /** Attempts made of the rotation under way. */
  attempts: number;
  /** Set while a process runs an attempt: no other may start one before it passes. */
  leaseUntil: number | null;
  lastAttemptAt: number | null;
  lastRotatedAt: number | null;
  lastRevision: number | null;
  lastFailure: RotationFailure | null;
  updatedAt: number;
}

export interface RotationRecord {
  secretId: string;
  region: string;
  intervalSeconds: number;
  method: RotationMethod;
  /** Disable the version that was latest when a rotation adds one. */
  disablePrevious: boolean;
  /** The webhook's signing secret, sealed under a key derived from the root key; null for generators. */
  signingKeyId: string | null;
  sealedSigningSecret: Uint8Array | null;
  createdAt: number;
  state: RotationState;
}

export const MIN_INTERVAL_SECONDS = 3600;
export const MAX_INTERVAL_SECONDS = 10 * 366 * 86400;
