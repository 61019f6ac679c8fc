import { AppError } from '../shared/errors.js';
import type { BackupHeader, BackupRows } from '../shared/backup/backup-stream.js';
import { POSTGRES_MIGRATION_LOCK, POSTGRES_MIGRATIONS } from './postgres/migrations.js';
import { openPostgresDriver } from './postgres/postgres-driver.js';
import { migrate, type MigrationPlan } from './sql/migrate.js';
import { MIGRATION_LOG_TABLE, quoteIdentifier } from './sql/snapshot-order.js';
import type { SqlDriver, SqlExecutor } from './sql/sql-driver.js';
import { SQLITE_AUDIT_MIGRATIONS, SQLITE_MIGRATIONS } from './sqlite/migrations.js';
import { openSqliteDriver } from './sqlite/sqlite-driver.js';
import { SQLITE_AUDIT_FILE_NAME, type StorageOptions } from './index.js';

/** A store being rebuilt from a backup: refused unless empty, written in one transaction per database. */
export interface RestoreTarget {
  /** Checks the target is empty and brings its schema to the archive's version; refuses tables or columns it lacks. */
  prepare(header: BackupHeader): Promise<void>;
  /** Inserts every row, all or nothing; returns how many. */
  write(batches: AsyncIterable<BackupRows>, onRows?: (count: number) => void): Promise<number>;
  /** Applies the migrations newer than the archive, as a server start would. */
  finish(): Promise<void>;
  close(): Promise<void>;
}

interface Database {
  driver: SqlDriver;
  plan: MigrationPlan;
  /** Whether the plan is cut at the archive's version (the main database) or applied whole (SQLite's audit file). */
  versioned: boolean;
}

const tablesSql = (driver: SqlDriver): string =>
  driver.dialect === 'sqlite'
    ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'";

const columnsOf = async (driver: SqlDriver, table: string): Promise<string[]> =>
  driver.dialect === 'sqlite'
    ? (await driver.all<{ name: string }>(`PRAGMA table_info(${quoteIdentifier(table)})`)).map((row) => row.name)
    : (await driver.all<{ name: string }>('SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?', [table])).map((row) => row.name);

const refuse = (message: string): AppError => new AppError('failed_precondition', message, { precondition: 'restore_target' });

/** The driver's code and message (never row values: storage sanitizes causes), for the operator. */
const causeOf = (error: unknown): string =>
  error instanceof AppError && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);

// Both engines accept this many bound values in one statement, with room to spare.
const MAX_PARAMS = 30_000;

const insertBatch = async (tx: SqlExecutor, rows: BackupRows): Promise<void> => {
  const width = rows.columns.length;
  const perStatement = Math.max(1, Math.min(200, Math.floor(MAX_PARAMS / Math.max(1, width))));
  const head = `INSERT INTO ${quoteIdentifier(rows.table)} (${rows.columns.map(quoteIdentifier).join(', ')}) VALUES `;
  const tuple = `(${rows.columns.map(() => '?').join(', ')})`;
  for (let start = 0; start < rows.rows.length; start += perStatement) {
    const slice = rows.rows.slice(start, start + perStatement);
    await tx.run(head + slice.map(() => tuple).join(', '), slice.flat());
  }
};

export const openRestoreTarget = (options: StorageOptions): RestoreTarget => {
  const databases: Database[] =
    options.kind === 'sqlite'
      ? [
          { driver: openSqliteDriver(options.dataDir), plan: { migrations: SQLITE_MIGRATIONS }, versioned: true },
          { driver: openSqliteDriver(options.dataDir, SQLITE_AUDIT_FILE_NAME), plan: { migrations: SQLITE_AUDIT_MIGRATIONS }, versioned: false },
        ]
      : [{ driver: openPostgresDriver({ url: options.url, poolSize: 2 }), plan: { migrations: POSTGRES_MIGRATIONS, lockSql: POSTGRES_MIGRATION_LOCK }, versioned: true }];
  /** Which database holds each table, and its columns there. */
  const layout = new Map<string, { database: Database; columns: Set<string> }>();

  const assertEmpty = async (database: Database): Promise<void> => {
    for (const { name } of await database.driver.all<{ name: string }>(tablesSql(database.driver))) {
      if (name === MIGRATION_LOG_TABLE) {
        continue;
      }
      const row = await database.driver.get<{ present: number }>(`SELECT 1 AS present FROM ${quoteIdentifier(name)} LIMIT 1`);
      if (row !== undefined) {
        throw refuse(`the target store is not empty (table ${name} has rows): restore only into a new data directory or an empty database`);
      }
    }
  };

  return {
    async prepare(header) {
      const known = Math.max(...(databases[0]?.plan.migrations ?? []).map((migration) => migration.version));
      if (header.schema_version > known) {
        throw refuse(`the archive's schema (version ${header.schema_version}) is newer than this Coffer knows (${known}): restore with a Coffer at least as new as the one that made it`);
      }
      for (const database of databases) {
        await assertEmpty(database);
        const migrations = database.versioned ? database.plan.migrations.filter((migration) => migration.version <= header.schema_version) : database.plan.migrations;
        const applied = await database.driver.get<{ v: number | null }>(`SELECT max(version) AS v FROM ${MIGRATION_LOG_TABLE}`).catch(() => undefined);
        if (database.versioned && (applied?.v ?? 0) > header.schema_version) {
          throw refuse(`the target's schema is already at version ${String(applied?.v)}, past the archive's ${header.schema_version}: restore into a database no Coffer has started on`);
        }
        await migrate(database.driver, { ...database.plan, migrations });
        for (const { name } of await database.driver.all<{ name: string }>(tablesSql(database.driver))) {
          if (name !== MIGRATION_LOG_TABLE) {
            layout.set(name, { database, columns: new Set(await columnsOf(database.driver, name)) });
          }
        }
      }
      for (const table of header.tables) {
        const target = layout.get(table.name);
        const missing = table.columns.filter((column) => !target?.columns.has(column));
        if (!target || missing.length > 0) {
          throw refuse(`the target schema lacks ${target ? `columns ${missing.join(', ')} of table ${table.name}` : `table ${table.name}`} that the archive holds`);
        }
      }
    },

    async write(batches, onRows) {
      const [main, audit] = databases;
      if (main === undefined) {
        return 0;
      }
      let count = 0;
      const run = async (transactions: Map<Database, SqlExecutor>): Promise<void> => {
        for await (const batch of batches) {
          const database = layout.get(batch.table)?.database;
          const tx = database && transactions.get(database);
          if (!tx) {
            throw refuse(`table ${batch.table} is not in the target schema`);
          }
          try {
            await insertBatch(tx, batch);
          } catch (error) {
            throw refuse(`the rows of ${batch.table} do not fit the target (${causeOf(error)}): rolled back`);
          }
          count += batch.rows.length;
          onRows?.(count);
        }
      };
      if (audit === undefined) {
        await main.driver.transaction((tx) => run(new Map([[main, tx]])));
        return count;
      }
      // SQLite's two files commit one after the other: if the main file's commit fails
      // after the audit file's, the audit rows are removed again, leaving both empty.
      let auditCommitted = false;
      try {
        await main.driver.transaction(async (mainTx) => {
          await audit.driver.transaction((auditTx) => run(new Map([[main, mainTx], [audit, auditTx]])));
          auditCommitted = true;
        });
      } catch (error) {
        if (auditCommitted) {
          for (const [name, entry] of layout) {
            if (entry.database === audit) {
              await audit.driver.run(`DELETE FROM ${quoteIdentifier(name)}`);
            }
          }
        }
        throw error;
      }
      return count;
    },

    async finish() {
      for (const database of databases) {
        await migrate(database.driver, database.plan);
      }
    },

    async close() {
      for (const database of databases) {
        await database.driver.close();
      }
    },
  };
};
