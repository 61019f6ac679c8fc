import type { BackupTable, CellValue } from '../../shared/backup/backup-stream.js';

/**
 * One consistent, read-only view of the whole store, as the storage adapter opens it
 * (a REPEATABLE READ transaction on PostgreSQL, read transactions on SQLite's files).
 * Rows stay as stored: payloads and keys are ciphertext, credentials are hashes.
 */
export interface StoreSnapshot {
  /** The highest schema migration applied to the main database. */
  schemaVersion: number;
  engine: string;
  /** Every table but the migration log, parents before the tables that reference them. */
  tables: readonly BackupTable[];
  /** The table's rows in batches, in the snapshot's view, cells in `columns` order. */
  rows(table: string): AsyncIterable<CellValue[][]>;
  /** Ends the snapshot's transactions and releases its connections. */
  close(): Promise<void>;
}

export interface SnapshotSource {
  open(): Promise<StoreSnapshot>;
}
