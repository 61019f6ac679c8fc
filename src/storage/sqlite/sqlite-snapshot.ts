import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { SnapshotSource, StoreSnapshot } from '../../core/backup/index.js';
import type { BackupTable, CellValue } from '../../shared/backup/backup-stream.js';
import { translateDriverError } from '../sql/sql-driver.js';
import { MIGRATION_LOG_TABLE, parentsFirst, quoteIdentifier, SNAPSHOT_BATCH_ROWS } from '../sql/snapshot-order.js';
import { SQLITE_FILE_NAME } from './sqlite-driver.js';

/** The tables of one SQLite file, read through its own connection. */
const tablesOf = (db: Database.Database): { name: string; columns: string[]; parents: string[] }[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[])
    .map((row) => row.name)
    .filter((name) => name !== MIGRATION_LOG_TABLE)
    .map((name) => ({
      name,
      columns: (db.prepare(`PRAGMA table_info(${quoteIdentifier(name)})`).all() as { name: string; cid: number }[])
        .sort((left, right) => left.cid - right.cid)
        .map((column) => column.name),
      parents: (db.prepare(`PRAGMA foreign_key_list(${quoteIdentifier(name)})`).all() as { table: string }[]).map((reference) => reference.table),
    }));

const openReader = (file: string): Database.Database => {
  const db = new Database(file, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  // This connection never writes: the server's own connection and the audit worker do.
  db.pragma('query_only = ON');
  return db;
};

/**
 * Snapshots on separate connections to `coffer.db` and `audit.db`: each holds a read
 * transaction (WAL lets writers carry on meanwhile), begun one after the other, so each
 * file is seen at one instant; the server's connection is never blocked.
 */
export const sqliteSnapshots = (dataDir: string, auditFileName: string): SnapshotSource => ({
  async open(): Promise<StoreSnapshot> {
    const files = [SQLITE_FILE_NAME, auditFileName].map((name) => join(dataDir, name)).filter((file) => existsSync(file));
    const connections: Database.Database[] = [];
    try {
      for (const file of files) {
        const db = openReader(file);
        connections.push(db);
        db.exec('BEGIN');
        // The snapshot starts at the first read, not at BEGIN.
        db.prepare('SELECT count(*) AS n FROM sqlite_master').get();
      }
      const owner = new Map<string, Database.Database>();
      const tables: BackupTable[] = [];
      const references: { child: string; parent: string }[] = [];
      const found = connections.flatMap((db) => tablesOf(db).map((table) => ({ ...table, db })));
      for (const table of found) {
        owner.set(table.name, table.db);
        references.push(...table.parents.map((parent) => ({ child: table.name, parent })));
      }
      for (const name of parentsFirst([...owner.keys()], references)) {
        const db = owner.get(name);
        const columns = found.find((table) => table.name === name)?.columns ?? [];
        const { n } = db?.prepare(`SELECT count(*) AS n FROM ${quoteIdentifier(name)}`).get() as { n: number };
        tables.push({ name, columns, rows: n });
      }
      const main = connections[0];
      const version = main?.prepare(`SELECT max(version) AS v FROM ${MIGRATION_LOG_TABLE}`).get() as { v: number | null } | undefined;
      return {
        schemaVersion: version?.v ?? 0,
        engine: 'sqlite',
        tables,
        async *rows(name: string): AsyncGenerator<CellValue[][]> {
          const table = tables.find((candidate) => candidate.name === name);
          const db = owner.get(name);
          if (!table || !db) {
            return;
          }
          const select = db.prepare(`SELECT ${table.columns.map(quoteIdentifier).join(', ')} FROM ${quoteIdentifier(name)}`).raw(true);
          let batch: CellValue[][] = [];
          for (const row of select.iterate() as Iterable<CellValue[]>) {
            batch.push(row);
            if (batch.length === SNAPSHOT_BATCH_ROWS) {
              yield batch;
              batch = [];
            }
          }
          if (batch.length > 0) {
            yield batch;
          }
        },
        async close() {
          for (const db of connections) {
            if (db.open) {
              db.close();
            }
          }
        },
      };
    } catch (error) {
      for (const db of connections) {
        db.close();
      }
      throw translateDriverError(error);
    }
  },
});
