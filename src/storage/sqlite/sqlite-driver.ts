import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { translateDriverError, type SqlDriver, type SqlExecutor, type SqlValue } from '../sql/sql-driver.js';

type Params = readonly SqlValue[];

/**
 * better-sqlite3 is synchronous, but transactions take async callbacks. While one is
 * open, every other call waits for it: otherwise another request's microtask could
 * read uncommitted rows, or have its write rolled back with someone else's transaction.
 */
export const openSqliteDriver = (dataDir: string): SqlDriver => {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(join(dataDir, 'coffer.db'));
  db.pragma('journal_mode = WAL');
  // FULL: an acknowledged write survives power loss, not only a process crash.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Purged payloads must not linger in free pages.
  db.pragma('secure_delete = ON');
  db.pragma('cache_size = -65536');

  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql.replace(/ FOR UPDATE/g, ''));
      statements.set(sql, statement);
    }
    return statement;
  };
  const guarded = <T>(run: () => T): T => {
    try {
      return run();
    } catch (error) {
      throw translateDriverError(error);
    }
  };
  const direct: SqlExecutor = {
    all: async <T>(sql: string, params: Params = []) => guarded(() => prepare(sql).all(...params) as T[]),
    get: async <T>(sql: string, params: Params = []) => guarded(() => prepare(sql).get(...params) as T | undefined),
    run: async (sql: string, params: Params = []) => guarded(() => ({ changes: prepare(sql).run(...params).changes })),
  };

  // Transactions queue up in order; `active` is the one running, if any.
  let tail: Promise<void> = Promise.resolve();
  let active: Promise<void> | null = null;
  const waitUntilIdle = async (): Promise<void> => {
    while (active) {
      await active;
    }
  };
  // The call runs in the same tick as the idle check, so no transaction can open in between.
  const outside = async <T>(call: () => Promise<T>): Promise<T> => {
    await waitUntilIdle();
    return call();
  };

  return {
    dialect: 'sqlite',
    all: (sql, params) => (active ? outside(() => direct.all(sql, params)) : direct.all(sql, params)),
    get: (sql, params) => (active ? outside(() => direct.get(sql, params)) : direct.get(sql, params)),
    run: (sql, params) => (active ? outside(() => direct.run(sql, params)) : direct.run(sql, params)),
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      const previous = tail;
      let release = () => {};
      const mine = new Promise<void>((resolve) => (release = resolve));
      tail = mine;
      await previous;
      active = mine;
      try {
        guarded(() => db.exec('BEGIN IMMEDIATE'));
        try {
          const result = await fn(direct);
          guarded(() => db.exec('COMMIT'));
          return result;
        } catch (error) {
          if (db.inTransaction) {
            db.exec('ROLLBACK');
          }
          throw error;
        }
      } finally {
        active = null;
        release();
      }
    },
    close: async () => {
      await tail;
      db.close();
    },
  };
};
