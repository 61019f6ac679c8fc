/**
 * A reason the server cannot start that the operator can fix (a wrong PIN, a missing
 * token, a root key that does not match the store): `coffer serve` prints its message
 * on one line, without a stack, and exits non-zero. Messages never carry a secret.
 */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}
