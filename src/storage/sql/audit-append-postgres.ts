import type { AppendBatch } from '../../core/audit/index.js';
import { genesisHash } from '../../shared/audit/audit-record.js';
import { preconditionFailed } from '../../shared/errors.js';
import { CHAIN_COLUMNS, EVENT_COLUMNS, eventValues } from './audit-rows.js';
import type { SqlExecutor } from './sql-driver.js';

const eventColumns = EVENT_COLUMNS.split(', ');
const BIGINT_EVENT_COLUMNS = new Set(['seq', 'recorded_at', 'status']);
const eventRecordType = eventColumns.map((column) => `${column} ${BIGINT_EVENT_COLUMNS.has(column) ? 'bigint' : 'text'}`).join(', ');

/** Usage totals from a JSON array parameter; the writer sends each (secret, revision, reader) once per batch. */
const upsertUsageFromJson = (condition: string): string => `
  INSERT INTO secret_usage (secret_id, revision, reader, access_count, last_accessed_at)
  SELECT secret_id, revision, reader, access_count, last_accessed_at
  FROM json_to_recordset(?::json) AS u(secret_id text, revision text, reader text, access_count bigint, last_accessed_at bigint)
  ${condition}
  ON CONFLICT (secret_id, revision, reader) DO UPDATE SET access_count = secret_usage.access_count + excluded.access_count,
    last_accessed_at = GREATEST(secret_usage.last_accessed_at, excluded.last_accessed_at)`;

/**
 * The whole append as one statement, so a batch costs PostgreSQL one round trip and one
 * commit instead of six or more; that round-trip count is what capped audited throughput.
 * The chain head moves only if it still stands where the batch starts (compare-and-set in
 * the upsert's WHERE), and the events and usage rows go in only if it moved, so a batch
 * built on a failed one writes nothing. A missing chain row may be created only by the
 * batch that starts the chain.
 */
const APPEND = `
WITH head AS (
  INSERT INTO audit_chains (${CHAIN_COLUMNS})
  SELECT ?, ?::bigint, ?::bigint, ?, ?::bigint, ?
  WHERE ?::bigint = 0 OR EXISTS (SELECT 1 FROM audit_chains WHERE chain_id = ?)
  ON CONFLICT (chain_id) DO UPDATE SET head_seq = excluded.head_seq, head_hash = excluded.head_hash
    WHERE audit_chains.head_seq = ?::bigint AND audit_chains.head_hash = ?
  RETURNING 1
), events AS (
  INSERT INTO audit_events (${EVENT_COLUMNS})
  SELECT ${EVENT_COLUMNS} FROM json_to_recordset(?::json) AS e(${eventRecordType})
  WHERE EXISTS (SELECT 1 FROM head)
), usage AS (${upsertUsageFromJson('WHERE EXISTS (SELECT 1 FROM head)')})
SELECT count(*)::int AS advanced FROM head`;

/** Usage with no events (the writer may flush totals alone) moves no chain head. */
const UPSERT_USAGE_ONLY = upsertUsageFromJson('');

export const appendInOneStatement = async (db: SqlExecutor, batch: AppendBatch): Promise<void> => {
  const usage = batch.usage.map((delta) => ({
    secret_id: delta.secretId,
    revision: delta.revision,
    reader: delta.reader,
    access_count: delta.count,
    last_accessed_at: delta.lastAccessedAt,
  }));
  const first = batch.events[0];
  if (!first) {
    if (usage.length > 0) {
      await db.run(UPSERT_USAGE_ONLY, [JSON.stringify(usage)]);
    }
    return;
  }
  const previousSeq = first.seq - 1;
  if (previousSeq === 0 && first.prevHash !== genesisHash(first.chainId)) {
    throw preconditionFailed('audit_chain_head', 'the batch does not continue the audit chain from its stored head');
  }
  const { chain } = batch;
  const events = batch.events.map((event) => {
    const values = eventValues(event);
    return Object.fromEntries(eventColumns.map((column, index) => [column, values[index]]));
  });
  const row = await db.get<{ advanced: number }>(APPEND, [
    chain.chainId,
    chain.startedAt,
    chain.anchorSeq,
    chain.anchorHash,
    chain.headSeq,
    chain.headHash,
    previousSeq,
    chain.chainId,
    previousSeq,
    first.prevHash,
    JSON.stringify(events),
    JSON.stringify(usage),
  ]);
  if (!row || row.advanced !== 1) {
    throw preconditionFailed('audit_chain_head', 'the batch does not continue the audit chain from its stored head');
  }
};
