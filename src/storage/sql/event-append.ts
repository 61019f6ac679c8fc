import type { EventToStore, SecretChangeEvents, StoredEvent } from '../../core/events/index.js';
import type { SecretChange } from '../../core/secrets/index.js';
import type { SqlDialect, SqlExecutor } from './sql-driver.js';

export const EVENT_COLUMNS = 'sequence, id, type, occurred_at, organization_id, project_id, region, secret_id, path, revision, details';

// Any constant of Coffer's own; held until commit by whoever appends an event.
const EVENT_SEQUENCE_LOCK = 'SELECT pg_advisory_xact_lock(7311010)';

/**
 * Appends events within the caller's transaction. Each sequence is MAX + 1 under a lock
 * held until that transaction commits: PostgreSQL's advisory transaction lock, or the
 * write lock SQLite's BEGIN IMMEDIATE already holds. So events commit in sequence order,
 * and a reader that sees N never later sees a new event below N. A SEQUENCE would hand
 * out numbers at insert time and let a later number commit first, and a cursor past it
 * would skip the earlier one for good. Callers append last in their transaction, after
 * their row locks: a holder of the advisory lock then never waits for a row lock, so the
 * two kinds of lock cannot deadlock.
 */
export const appendEventsIn = async (tx: SqlExecutor, dialect: SqlDialect, events: readonly EventToStore[]): Promise<StoredEvent[]> => {
  if (events.length === 0) {
    return [];
  }
  if (dialect === 'postgres') {
    await tx.get(EVENT_SEQUENCE_LOCK);
  }
  const head = await tx.get<{ head: number | string | null }>('SELECT MAX(sequence) AS head FROM secret_events');
  let sequence = Number(head?.head ?? 0);
  const stored: StoredEvent[] = [];
  for (const event of events) {
    sequence += 1;
    await tx.run(`INSERT INTO secret_events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      sequence,
      event.id,
      event.type,
      event.occurredAt,
      event.organizationId,
      event.projectId,
      event.region,
      event.secretId,
      event.path,
      event.revision ?? null,
      event.details === undefined ? null : JSON.stringify(event.details),
    ]);
    stored.push({ ...event, sequence });
  }
  return stored;
};

/** Called by the secret store inside each write transaction, once the change's rows are written. */
export type SecretChangeHook = (tx: SqlExecutor, change: SecretChange) => Promise<void>;

/**
 * The hook that makes a change's lifecycle events part of its transaction: both are
 * durable or neither is. Which events a change makes is the core's business (`eventsOf`).
 */
export const recordSecretChangeEvents =
  (dialect: SqlDialect, eventsOf: SecretChangeEvents): SecretChangeHook =>
  async (tx, change) => {
    await appendEventsIn(tx, dialect, eventsOf(change));
  };
