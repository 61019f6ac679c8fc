import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../shared/errors.js';
import { BoundedCache } from '../sql/bounded-cache.js';
import { translateDriverError, type SqlDriver, type SqlExecutor, type SqlValue } from '../sql/sql-driver.js';

type Params = readonly SqlValue[];

export const SQLITE_FILE_NAME = 'coffer.db';

const openDatabase = (dataDir: string, fileName: string): Database.Database => {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, fileName);
  // Created owner-only before SQLite opens it; SQLite gives its -wal and -shm files the same mode.
  closeSync(openSync(file, 'a', 0o600));
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // FULL: an acknowledged write survives power loss, not only a process crash.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Purged payloads must not linger in free pages.
  db.pragma('secure_delete = ON');
  // Page cache, in KiB when negative: 32 MiB for the store; the audit trail, appended to
  // and read by time range, 8 MiB on each of its two connections. Beyond that the kernel's
  // page cache serves reads; this keeps a process serving a million secrets near 200 MB.
  db.pragma(`cache_size = ${fileName === SQLITE_FILE_NAME ? -32_768 : -8_192}`);
  return db;
};

/**
 * better-sqlite3 over one connection. It is synchronous, but transactions take async
 * callbacks, so the connection may sit inside an open transaction across ticks. While
 * it does, every other call waits for it to end: run in between, another request could
 * read uncommitted rows, or see its own acknowledged write rolled back with someone
 * else's transaction. When no transaction is open, calls run at once (the fast path).
 */
export const openSqliteDriver = (dataDir: string, fileName = SQLITE_FILE_NAME): SqlDriver => {
  let db: Database.Database;
  try {
    db = openDatabase(dataDir, fileName);
  } catch (error) {
    throw translateDriverError(error);
  }

  // Shared SQL says `FOR UPDATE`; SQLite has no row locks, BEGIN IMMEDIATE locks the database.
  const statements = new BoundedCache<Database.Statement>(500);
  const prepare = (sql: string): Database.Statement =>
    statements.getOrCreate(sql, (text) => db.prepare(text.replace(/\s+FOR UPDATE\b/g, '')));
  const guarded = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      throw db.open ? translateDriverError(error) : new AppError('unavailable', 'storage is closed');
    }
  };
  // Async functions run their body synchronously: the statement executes before they return.
  const direct: SqlExecutor = {
    all: async <T>(sql: string, params: Params = []) => guarded(() => prepare(sql).all(...params) as T[]),
    get: async <T>(sql: string, params: Params = []) => guarded(() => prepare(sql).get(...params) as T | undefined),
    run: async (sql: string, params: Params = []) => guarded(() => ({ changes: prepare(sql).run(...params).changes })),
  };

  // `open` is the running transaction, settling when it ends. `queue` settles when the
  // last call queued behind transactions has run: transactions and the calls that had to
  // wait take turns in arrival order, so a stream of writes cannot starve a waiting read.
  let open: Promise<void> | null = null;
  let queue: Promise<void> = Promise.resolve();
  const ignore = () => {};
  const afterTransactions = <T>(call: () => Promise<T>): Promise<T> => {
    const result = queue.then(call);
    queue = result.then(ignore, ignore);
    return result;
  };
  const rollback = () => {
    try {
      if (db.inTransaction) {
        db.exec('ROLLBACK');
      }
    } catch {
      // The original error matters more; SQLite rolls back by itself when it can.
    }
  };

  return {
    dialect: 'sqlite',
    all: (sql, params) => (open === null ? direct.all(sql, params) : afterTransactions(() => direct.all(sql, params))),
    get: (sql, params) => (open === null ? direct.get(sql, params) : afterTransactions(() => direct.get(sql, params))),
    run: (sql, params) => (open === null ? direct.run(sql, params) : afterTransactions(() => direct.run(sql, params))),
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      const previous = queue;
      let end = () => {};
      const mine = new Promise<void>((resolve) => {
        end = resolve;
      });
      queue = mine;
      await previous;
      open = mine;
      try {
        guarded(() => db.exec('BEGIN IMMEDIATE'));
        try {
          const result = await fn(direct);
          guarded(() => db.exec('COMMIT'));
          return result;
        } catch (error) {
          rollback();
          // Statement errors were translated where they happened; the callback's own pass through.
          throw error;
        }
      } finally {
        open = null;
        end();
      }
    },
    async close() {
      await queue;
      if (db.open) {
        db.close();
      }
    },
  };
};
