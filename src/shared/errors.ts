/**
 * The closed set of failure kinds the domain can report. Every wire adapter maps
 * these codes to its own status codes and envelope in exactly one table.
 */
export type ErrorCode =
  | 'invalid_argument'
  | 'not_found'
  | 'already_exists'
  | 'failed_precondition'
  | 'unauthenticated'
  | 'permission_denied'
  | 'payload_too_large'
  | 'rate_limited'
  | 'unavailable'
  | 'integrity'
  | 'internal';

/** One invalid field, as the Scaleway `invalid_arguments` details and Vault error strings need it. */
export interface FieldProblem {
  field: string;
  reason: 'required' | 'format' | 'constraint';
  message: string;
}

export interface ErrorDetails {
  resource?: string;
  resourceId?: string;
  precondition?: string;
  problems?: FieldProblem[];
  authReason?: 'invalid_argument' | 'not_found' | 'expired';
  action?: string;
  /** For `rate_limited`: when the caller may try again, and the limit it hit. */
  retryAfterSeconds?: number;
  limit?: { quota: number; windowSeconds: number };
}

/** The only error type the domain throws; adapters translate it, never driver or framework errors. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

export const notFound = (resource: string, resourceId: string): AppError =>
  new AppError('not_found', `${resource} ${resourceId} not found`, { resource, resourceId });

export const alreadyExists = (resource: string, resourceId: string, message: string): AppError =>
  new AppError('already_exists', message, { resource, resourceId });

export const invalidField = (
  field: string,
  reason: FieldProblem['reason'],
  message: string,
): AppError => new AppError('invalid_argument', message, { problems: [{ field, reason, message }] });

export const preconditionFailed = (precondition: string, message: string): AppError =>
  new AppError('failed_precondition', message, { precondition });

export const isAppError = (value: unknown): value is AppError => value instanceof AppError;
