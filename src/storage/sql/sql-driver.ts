import { AppError } from '../../shared/errors.js';

export type SqlValue = string | number | bigint | Buffer | Uint8Array | null;

/** Runs SQL written once with `?` placeholders; each engine adapts it. */
export interface SqlExecutor {
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
}

export interface SqlDriver extends SqlExecutor {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs `fn` in one transaction that holds the write lock; a throw rolls everything back. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A unique or primary-key constraint refused a row. */
export class UniqueViolation extends Error {}

/** Translates a driver error at the storage edge; parameter values never reach the message. */
export const translateDriverError = (error: unknown): Error => {
  if (error instanceof AppError || error instanceof UniqueViolation) {
    return error;
  }
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new UniqueViolation('unique constraint');
  }
  // PostgreSQL text cannot hold NUL bytes or unencodable characters: the caller's input is at fault.
  if (code === '22021' || code === '22P05') {
    return new AppError('invalid_argument', 'text contains a character that cannot be stored (such as a NUL byte)', {
      problems: [{ field: 'body', reason: 'format', message: 'text contains a character that cannot be stored (such as a NUL byte)' }],
    });
  }
  if (/^(SQLITE_BUSY|SQLITE_LOCKED|ECONNREFUSED|ECONNRESET|57P0|08)/.test(code)) {
    return new AppError('unavailable', 'storage is unavailable', {}, { cause: error });
  }
  return new AppError('internal', 'storage failed', {}, { cause: error });
};
