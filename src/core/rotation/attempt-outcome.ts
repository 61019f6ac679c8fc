import type { RotationFailureReason } from './rotation-model.js';

export type AttemptOutcome =
  | { kind: 'rotated'; revision: number; byReceiver: boolean }
  | { kind: 'failed'; reason: RotationFailureReason; message: string; retryable: boolean };

export const failed = (reason: RotationFailureReason, message: string, retryable: boolean): AttemptOutcome => ({ kind: 'failed', reason, message, retryable });
