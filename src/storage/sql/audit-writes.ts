import type { AppendBatch, AuditCheckpoint, StoredSigningKey, UsageDelta } from '../../core/audit/index.js';
import { genesisHash } from '../../shared/audit/audit-record.js';
import { preconditionFailed } from '../../shared/errors.js';
import { appendInOneStatement } from './audit-append-postgres.js';
import { insertSql } from './iam-rows.js';
import { asBuffer, type SqlDriver, type SqlExecutor, type SqlValue } from './sql-driver.js';
import { CHAIN_COLUMNS, chainValues, CHECKPOINT_COLUMNS, checkpointValues, EVENT_COLUMNS, eventValues } from './audit-rows.js';

/** The trail's writes; SQLite runs them on a worker thread so that fsyncs never stall requests. */
export interface AuditWrites {
  insertSigningKey(key: StoredSigningKey): Promise<void>;
  append(batch: AppendBatch): Promise<void>;
  insertCheckpoint(checkpoint: AuditCheckpoint): Promise<void>;
  prune(anchor: AuditCheckpoint): Promise<number>;
}

const EVENT_COLUMN_COUNT = EVENT_COLUMNS.split(', ').length;
/** Rows per INSERT: a few fixed sizes, so PostgreSQL prepares a few statements, not one per batch size. */
const CHUNKS = [64, 16, 4, 1];

const insertEvents = (rows: number): string => {
  const row = `(${Array.from({ length: EVENT_COLUMN_COUNT }, () => '?').join(', ')})`;
  return `INSERT INTO audit_events (${EVENT_COLUMNS}) VALUES ${Array.from({ length: rows }, () => row).join(', ')}`;
};

const UPSERT_CHAIN = `${insertSql('audit_chains', CHAIN_COLUMNS)} ON CONFLICT (chain_id) DO UPDATE SET head_seq = excluded.head_seq, head_hash = excluded.head_hash`;
/** Usage rows of a batch are distinct (the writer adds them up first), so one statement may upsert many. */
const upsertUsage = (rows: number): string =>
  `INSERT INTO secret_usage (secret_id, revision, reader, access_count, last_accessed_at) VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?)').join(', ')} ` +
  'ON CONFLICT (secret_id, revision, reader) DO UPDATE SET access_count = secret_usage.access_count + excluded.access_count, ' +
  'last_accessed_at = CASE WHEN excluded.last_accessed_at > secret_usage.last_accessed_at THEN excluded.last_accessed_at ELSE secret_usage.last_accessed_at END';
const INSERT_CHECKPOINT = `${insertSql('audit_checkpoints', CHECKPOINT_COLUMNS)} ON CONFLICT (chain_id, seq, kind) DO NOTHING`;

/** Rows in as few statements as the fixed chunk sizes allow: one round trip each on PostgreSQL. */
const writeChunked = async <T>(tx: SqlExecutor, rows: readonly T[], statement: (count: number) => string, values: (row: T) => SqlValue[]): Promise<void> => {
  let offset = 0;
  for (const size of CHUNKS) {
    while (rows.length - offset >= size) {
      await tx.run(statement(size), rows.slice(offset, offset + size).flatMap(values));
      offset += size;
    }
  }
};

const usageValues = (usage: UsageDelta): SqlValue[] => [usage.secretId, usage.revision, usage.reader, usage.count, usage.lastAccessedAt];

/**
 * A batch must continue the chain exactly where it stands: batches may be sent before
 * the one they follow has committed, and one built on a failed batch must fail too.
 */
const expectHead = async (tx: SqlExecutor, batch: AppendBatch): Promise<void> => {
  const first = batch.events[0];
  if (!first) {
    return;
  }
  const row = await tx.get<{ head_seq: number; head_hash: string }>('SELECT head_seq, head_hash FROM audit_chains WHERE chain_id = ? FOR UPDATE', [first.chainId]);
  const head = row ? { seq: Number(row.head_seq), hash: row.head_hash } : { seq: 0, hash: genesisHash(first.chainId) };
  if (first.seq !== head.seq + 1 || first.prevHash !== head.hash) {
    throw preconditionFailed('audit_chain_head', 'the batch does not continue the audit chain from its stored head');
  }
};

export class SqlAuditWrites implements AuditWrites {
  /**
   * Appends run one after another in the order they were made, each starting the moment
   * the one before ends: the writer may have several waiting, and a pool could
   * otherwise commit them out of order (which the head check would then refuse).
   */
  private appending: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: SqlDriver) {}

  async insertSigningKey(key: StoredSigningKey): Promise<void> {
    await this.db.run('INSERT INTO audit_signing_keys (key_id, public_key, sealed_private_key, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (key_id) DO NOTHING', [
      key.keyId,
      key.publicKey,
      asBuffer(key.sealedPrivateKey),
      key.createdAt,
    ]);
  }

  append(batch: AppendBatch): Promise<void> {
    const done = this.appending.then(() => this.appendNow(batch));
    this.appending = done.catch(() => {});
    return done;
  }

  private async appendNow(batch: AppendBatch): Promise<void> {
    if (this.db.dialect === 'postgres') {
      await appendInOneStatement(this.db, batch);
      return;
    }
    await this.db.transaction(async (tx) => {
      await expectHead(tx, batch);
      await writeChunked(tx, batch.events, insertEvents, eventValues);
      await tx.run(UPSERT_CHAIN, chainValues(batch.chain));
      await writeChunked(tx, batch.usage, upsertUsage, usageValues);
    });
  }

  async insertCheckpoint(checkpoint: AuditCheckpoint): Promise<void> {
    await this.db.run(INSERT_CHECKPOINT, checkpointValues(checkpoint));
  }

  async prune(anchor: AuditCheckpoint): Promise<number> {
    return this.db.transaction(async (tx) => {
      const { changes } = await tx.run('DELETE FROM audit_events WHERE chain_id = ? AND seq <= ?', [anchor.chainId, anchor.seq]);
      await tx.run('UPDATE audit_chains SET anchor_seq = ?, anchor_hash = ? WHERE chain_id = ? AND anchor_seq < ?', [anchor.seq, anchor.hash, anchor.chainId, anchor.seq]);
      await tx.run(INSERT_CHECKPOINT, checkpointValues(anchor));
      return changes;
    });
  }
}
