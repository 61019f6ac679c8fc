import { CliError, EXIT } from '../errors.js';

/** Every way a reference fails; each maps to an exit code of the table in errors.ts. */
export type FailureKind = 'syntax' | 'config' | 'auth' | 'not_found' | 'missing_field' | 'not_json' | 'unreadable' | 'unreachable' | 'provider';

const EXIT_OF: Record<FailureKind, number> = {
  syntax: EXIT.syntax,
  config: EXIT.config,
  auth: EXIT.auth,
  not_found: EXIT.notFound,
  missing_field: EXIT.notFound,
  not_json: EXIT.unreadable,
  unreadable: EXIT.unreadable,
  unreachable: EXIT.unreachable,
  provider: EXIT.failure,
};

/**
 * A reference that could not be resolved. The message names the reference (canonical
 * text) and the reason; it is built only from references, statuses and provider
 * error codes, never from a payload.
 */
export class ResolutionError extends CliError {
  constructor(
    readonly kind: FailureKind,
    readonly reference: string,
    readonly reason: string,
  ) {
    super(`${reference}: ${reason}`, EXIT_OF[kind]);
    this.name = 'ResolutionError';
  }
}

/** The failure kind of an HTTP status answered by a provider. */
export const kindOfStatus = (status: number): FailureKind =>
  status === 401 || status === 403 ? 'auth' : status === 404 ? 'not_found' : status === 412 ? 'unreadable' : 'provider';
