import { AppError } from '../../shared/errors.js';

export type SqlValue = string | number | bigint | Buffer | Uint8Array | null;

export type SqlDialect = 'sqlite' | 'postgres';

/** Bytes as both drivers bind and return them (a Buffer), without a copy when they are one already. */
export const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Runs SQL written once with `?` placeholders; each engine adapts it. */
export interface SqlExecutor {
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
}

export interface SqlDriver extends SqlExecutor {
  readonly dialect: SqlDialect;
  /**
   * Runs `fn` in one transaction; a throw rolls everything back and is rethrown.
   * Inside `fn`, use only `tx`: calling the driver itself would wait for `fn` to end.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * A unique or primary-key constraint refused a row. It is an `already_exists` AppError
 * so that one a repository forgot to refine still reaches the core as a domain error.
 */
export class UniqueViolation extends AppError {
  constructor() {
    super('already_exists', 'a unique constraint refused the row');
    this.name = 'UniqueViolation';
  }
}

const UNIQUE_CODES = new Set(['23505', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

// PostgreSQL classes 08 (connection), 53 (resources) and 57P (shutdown), serialization and
// deadlock failures (retrying helps), socket errors, and SQLite lock or disk trouble.
const UNAVAILABLE_CODE =
  /^(08|53|57P|40001|40P01|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|EAI_AGAIN|SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL))/;
// pg and pg-pool raise these without a code.
const UNAVAILABLE_MESSAGE = /^(timeout exceeded when trying to connect|Connection terminated)/;

const errorCode = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';

/**
 * Keeps what helps an operator (code and driver message) and drops what may carry row
 * values: PostgreSQL's `detail`, for one, quotes the conflicting key, such as a key hash.
 */
const sanitizedCause = (error: unknown): Error => {
  if (!(error instanceof Error)) {
    return new Error('non-error thrown by the database driver');
  }
  const code = errorCode(error);
  const cause = new Error(code === '' ? error.message : `${code}: ${error.message}`);
  cause.name = error.name;
  return cause;
};

/** Translates a driver error at the storage edge; parameter values never reach the result. */
export const translateDriverError = (error: unknown): AppError => {
  if (error instanceof AppError) {
    return error;
  }
  const code = errorCode(error);
  if (UNIQUE_CODES.has(code)) {
    return new UniqueViolation();
  }
  // PostgreSQL text cannot hold NUL bytes or unencodable characters: the caller's input is at fault.
  if (code === '22021' || code === '22P05') {
    const message = 'text contains a character that cannot be stored (such as a NUL byte)';
    return new AppError('invalid_argument', message, { problems: [{ field: 'body', reason: 'format', message }] });
  }
  const message = error instanceof Error ? error.message : '';
  if (UNAVAILABLE_CODE.test(code) || (code === '' && UNAVAILABLE_MESSAGE.test(message))) {
    return new AppError('unavailable', 'storage is unavailable', {}, { cause: sanitizedCause(error) });
  }
  return new AppError('internal', 'storage failed', {}, { cause: sanitizedCause(error) });
};

/** One step of a dialect's schema history; `sql` may hold several `;`-separated statements. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
