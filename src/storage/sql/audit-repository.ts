import type { AppendBatch, AuditCheckpoint, AuditChain, AuditQuery, AuditRecord, AuditStore, SecretUsage, StoredSigningKey, UsageTotals } from '../../core/audit/index.js';
import { asBuffer, type SqlDriver, type SqlValue } from './sql-driver.js';
import type { AuditWrites } from './audit-writes.js';
import {
  CHAIN_COLUMNS,
  chainFromRow,
  CHECKPOINT_COLUMNS,
  checkpointFromRow,
  EVENT_COLUMNS,
  eventFromRow,
  signingKeyFromRow,
  type ChainRow,
  type CheckpointRow,
  type EventRow,
  type SigningKeyRow,
} from './audit-rows.js';

type Range = { from: number | null; to: number | null };

/** `time` bounds as SQL: from inclusive, to exclusive. */
const rangeClause = (range: Range): { sql: string; params: SqlValue[] } => {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  if (range.from !== null) {
    parts.push('recorded_at >= ?');
    params.push(range.from);
  }
  if (range.to !== null) {
    parts.push('recorded_at < ?');
    params.push(range.to);
  }
  return { sql: parts.map((part) => ` AND ${part}`).join(''), params };
};

interface UsageRow {
  revision: string;
  reader: string;
  access_count: number;
  last_accessed_at: number;
}

const totalsOf = (rows: readonly UsageRow[]): UsageTotals => ({
  accessCount: rows.reduce((sum, row) => sum + Number(row.access_count), 0),
  lastAccessedAt: rows.length === 0 ? null : Math.max(...rows.map((row) => Number(row.last_accessed_at))),
});

const groupBy = <K extends 'revision' | 'reader'>(rows: readonly UsageRow[], key: K) => {
  const groups = new Map<string, UsageRow[]>();
  for (const row of rows) {
    groups.set(row[key], [...(groups.get(row[key]) ?? []), row]);
  }
  return [...groups].map(([value, members]) => ({ [key]: value, ...totalsOf(members) }) as Record<K, string> & UsageTotals);
};

/** AuditStore over SQL; writes go through `writes`, which SQLite runs off the main thread. */
export class SqlAuditStore implements AuditStore {
  constructor(
    private readonly db: SqlDriver,
    private readonly writes: AuditWrites,
    readonly appendsInFlight: number,
  ) {}

  async listSigningKeys(): Promise<StoredSigningKey[]> {
    const rows = await this.db.all<SigningKeyRow>('SELECT key_id, public_key, sealed_private_key, created_at FROM audit_signing_keys ORDER BY created_at, key_id');
    return rows.map(signingKeyFromRow);
  }

  insertSigningKey = (key: StoredSigningKey): Promise<void> => this.writes.insertSigningKey(key);

  /**
   * Runs at start-up, before the first append, on this connection rather than through the
   * append path: one row, once per root-key migration, and SQLite serialises writers anyway.
   */
  async resealSigningKey(keyId: string, expected: Uint8Array, sealedPrivateKey: Uint8Array): Promise<boolean> {
    const { changes } = await this.db.run('UPDATE audit_signing_keys SET sealed_private_key = ? WHERE key_id = ? AND sealed_private_key = ?', [
      asBuffer(sealedPrivateKey),
      keyId,
      asBuffer(expected),
    ]);
    return changes === 1;
  }
  append = (batch: AppendBatch): Promise<void> => this.writes.append(batch);
  insertCheckpoint = (checkpoint: AuditCheckpoint): Promise<void> => this.writes.insertCheckpoint(checkpoint);
  prune = (anchor: AuditCheckpoint): Promise<number> => this.writes.prune(anchor);

  async listChains(): Promise<AuditChain[]> {
    return (await this.db.all<ChainRow>(`SELECT ${CHAIN_COLUMNS} FROM audit_chains ORDER BY started_at, chain_id`)).map(chainFromRow);
  }

  async listCheckpoints(): Promise<AuditCheckpoint[]> {
    return (await this.db.all<CheckpointRow>(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY chain_id, seq, kind`)).map(checkpointFromRow);
  }

  async scanChain(chainId: string, afterSeq: number, limit: number, range: Range): Promise<AuditRecord[]> {
    const bounds = rangeClause(range);
    const rows = await this.db.all<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM audit_events WHERE chain_id = ? AND seq > ?${bounds.sql} ORDER BY seq LIMIT ?`,
      [chainId, afterSeq, ...bounds.params, limit],
    );
    return rows.map(eventFromRow);
  }

  async countEvents(range: Range): Promise<number> {
    const bounds = rangeClause(range);
    const row = await this.db.get<{ count: number }>(`SELECT COUNT(*) AS count FROM audit_events WHERE 1 = 1${bounds.sql}`, bounds.params);
    return Number(row?.count ?? 0);
  }

  async queryEvents(query: AuditQuery, limit: number): Promise<AuditRecord[]> {
    const bounds = rangeClause(query);
    const filters: [string, SqlValue][] = [
      ['actor_access_key = ?', query.actor],
      ['secret_id = ?', query.secretId],
      ['action = ?', query.action],
      ['outcome = ?', query.outcome],
      ['request_id = ?', query.requestId],
    ];
    const active = filters.filter(([, value]) => value !== null);
    const after = query.after ? ' AND (recorded_at > ? OR (recorded_at = ? AND (chain_id > ? OR (chain_id = ? AND seq > ?))))' : '';
    const afterParams = query.after ? [query.after.time, query.after.time, query.after.chainId, query.after.chainId, query.after.seq] : [];
    const rows = await this.db.all<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM audit_events WHERE 1 = 1${bounds.sql}${active.map(([clause]) => ` AND ${clause}`).join('')}${after} ORDER BY recorded_at, chain_id, seq LIMIT ?`,
      [...bounds.params, ...active.map(([, value]) => value), ...afterParams, limit],
    );
    return rows.map(eventFromRow);
  }

  async secretUsage(secretId: string): Promise<SecretUsage> {
    const rows = await this.db.all<UsageRow>('SELECT revision, reader, access_count, last_accessed_at FROM secret_usage WHERE secret_id = ?', [secretId]);
    return { ...totalsOf(rows), versions: groupBy(rows, 'revision'), readers: groupBy(rows, 'reader') };
  }

  async usageOfSecrets(secretIds: readonly string[]): Promise<Map<string, UsageTotals>> {
    const usage = new Map<string, UsageTotals>();
    for (let start = 0; start < secretIds.length; start += 100) {
      const ids = secretIds.slice(start, start + 100);
      const rows = await this.db.all<{ secret_id: string; access_count: number; last_accessed_at: number }>(
        `SELECT secret_id, SUM(access_count) AS access_count, MAX(last_accessed_at) AS last_accessed_at FROM secret_usage WHERE secret_id IN (${ids.map(() => '?').join(', ')}) GROUP BY secret_id`,
        ids,
      );
      for (const row of rows) {
        usage.set(row.secret_id, { accessCount: Number(row.access_count), lastAccessedAt: Number(row.last_accessed_at) });
      }
    }
    return usage;
  }
}
