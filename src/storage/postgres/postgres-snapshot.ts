import pg from 'pg';
import type { SnapshotSource, StoreSnapshot } from '../../core/backup/index.js';
import type { BackupTable, CellValue } from '../../shared/backup/backup-stream.js';
import { translateDriverError } from '../sql/sql-driver.js';
import { MIGRATION_LOG_TABLE, parentsFirst, quoteIdentifier, SNAPSHOT_BATCH_ROWS } from '../sql/snapshot-order.js';

// Cells leave as the engine-neutral values SQLite gives too: BIGINT as a number (the
// store's integers are microseconds and counters, far below 2^53); anything textual as text.
const INT8 = 20;
const AS_TEXT = [114, 3802, 1082, 1114, 1184];
const snapshotTypes = new pg.TypeOverrides();
snapshotTypes.setTypeParser(INT8, (value: string) => Number(value));
for (const oid of AS_TEXT) {
  snapshotTypes.setTypeParser(oid, (value: string) => value);
}

const TABLES_SQL = `SELECT table_name AS name FROM information_schema.tables
  WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`;
const COLUMNS_SQL = `SELECT table_name AS table, column_name AS name FROM information_schema.columns
  WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`;
const REFERENCES_SQL = `SELECT child.relname AS child, parent.relname AS parent FROM pg_constraint c
  JOIN pg_class child ON child.oid = c.conrelid JOIN pg_class parent ON parent.oid = c.confrelid
  JOIN pg_namespace n ON n.oid = child.relnamespace WHERE c.contype = 'f' AND n.nspname = current_schema()`;

/**
 * A snapshot in one REPEATABLE READ, READ ONLY transaction on a connection of its own:
 * every table is read as of one instant while writers carry on. Rows come through a
 * cursor, a batch at a time, so a large table never sits in memory.
 */
export const postgresSnapshots = (url: string): SnapshotSource => ({
  async open(): Promise<StoreSnapshot> {
    const client = new pg.Client({ connectionString: url, application_name: 'coffer-backup', types: snapshotTypes });
    try {
      await client.connect();
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const names = (await client.query<{ name: string }>(TABLES_SQL)).rows.map((row) => row.name).filter((name) => name !== MIGRATION_LOG_TABLE);
      const columns = (await client.query<{ table: string; name: string }>(COLUMNS_SQL)).rows;
      const references = (await client.query<{ child: string; parent: string }>(REFERENCES_SQL)).rows;
      const tables: BackupTable[] = [];
      for (const name of parentsFirst(names, references)) {
        const count = await client.query<{ n: number }>(`SELECT count(*)::bigint AS n FROM ${quoteIdentifier(name)}`);
        tables.push({ name, columns: columns.filter((column) => column.table === name).map((column) => column.name), rows: count.rows[0]?.n ?? 0 });
      }
      const version = await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${MIGRATION_LOG_TABLE}`);
      return {
        schemaVersion: Number(version.rows[0]?.v ?? 0),
        engine: 'postgres',
        tables,
        async *rows(name: string): AsyncGenerator<CellValue[][]> {
          const table = tables.find((candidate) => candidate.name === name);
          if (!table) {
            return;
          }
          await client.query(`DECLARE coffer_backup NO SCROLL CURSOR FOR SELECT ${table.columns.map(quoteIdentifier).join(', ')} FROM ${quoteIdentifier(name)}`);
          try {
            for (;;) {
              const batch = await client.query<CellValue[]>({ text: `FETCH ${SNAPSHOT_BATCH_ROWS} FROM coffer_backup`, rowMode: 'array' });
              if (batch.rows.length === 0) {
                return;
              }
              yield batch.rows;
            }
          } finally {
            await client.query('CLOSE coffer_backup').catch(() => {});
          }
        },
        async close() {
          await client.query('ROLLBACK').catch(() => {});
          await client.end();
        },
      };
    } catch (error) {
      await client.end().catch(() => {});
      throw translateDriverError(error);
    }
  },
});
