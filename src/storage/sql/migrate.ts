import { AppError } from '../../shared/errors.js';
import type { Migration, SqlDriver } from './sql-driver.js';

export interface MigrationPlan {
  migrations: readonly Migration[];
  /** Run first inside the migration transaction, to keep other processes out meanwhile. */
  lockSql?: string;
}

/** Splits a migration into statements; schema SQL holds no `;` inside literals. */
const statementsOf = (sql: string): string[] =>
  sql
    .split(';')
    .map((statement) => statement.trim())
    .filter((statement) => statement !== '');

/**
 * Applies the missing migrations in order, in one transaction, each recorded in
 * `schema_migrations`. A database migrated by a newer Coffer is refused rather than
 * run with a schema this build does not know.
 */
export const migrate = async (driver: SqlDriver, { migrations, lockSql }: MigrationPlan): Promise<number[]> =>
  driver.transaction(async (tx) => {
    if (lockSql !== undefined) {
      await tx.get(lockSql);
    }
    await tx.run(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const rows = await tx.all<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((row) => Number(row.version)));
    const known = Math.max(0, ...migrations.map((migration) => migration.version));
    const newest = Math.max(0, ...applied);
    if (newest > known) {
      throw new AppError(
        'failed_precondition',
        `the database schema is at version ${newest}, newer than this Coffer knows (${known}): upgrade Coffer`,
        { precondition: 'schema_version' },
      );
    }
    const done: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) {
        continue;
      }
      for (const statement of statementsOf(migration.sql)) {
        await tx.run(statement);
      }
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        migration.version,
        migration.name,
        new Date().toISOString(),
      ]);
      done.push(migration.version);
    }
    return done;
  });
