import type { DeliveryState, EventFilter, EventStore, SecretEventInput, StoredEvent, Webhook } from '../../core/events/index.js';
import { notFound } from '../../shared/errors.js';
import type { SqlDriver, SqlValue } from './sql-driver.js';
import { fromWebhookRow, WEBHOOK_COLUMNS, webhookValues, type WebhookRow } from './webhook-rows.js';

interface EventRow {
  sequence: number | string;
  id: string;
  type: StoredEvent['type'];
  occurred_at: number | string;
  organization_id: string;
  project_id: string;
  region: string;
  secret_id: string;
  path: string;
  revision: number | string | null;
  details: string | null;
}

const EVENT_COLUMNS = 'sequence, id, type, occurred_at, organization_id, project_id, region, secret_id, path, revision, details';

const fromEventRow = (row: EventRow): StoredEvent => ({
  sequence: Number(row.sequence),
  id: row.id,
  type: row.type,
  occurredAt: Number(row.occurred_at),
  organizationId: row.organization_id,
  projectId: row.project_id,
  region: row.region,
  secretId: row.secret_id,
  path: row.path,
  ...(row.revision === null ? {} : { revision: Number(row.revision) }),
  ...(row.details === null ? {} : { details: JSON.parse(row.details) as StoredEvent['details'] }),
});

// Any constant of Coffer's own; held until commit by whoever appends an event.
const EVENT_SEQUENCE_LOCK = 'SELECT pg_advisory_xact_lock(7311010)';

const placeholders = (count: number): string => Array.from({ length: count }, () => '?').join(', ');

/** The event log and webhook subscriptions over SQL, the same on both engines. */
export class SqlEventStore implements EventStore {
  constructor(private readonly db: SqlDriver) {}

  /**
   * The sequence is allocated as MAX + 1 under a lock held until commit: PostgreSQL's
   * advisory transaction lock, or SQLite's BEGIN IMMEDIATE. So events commit in sequence
   * order, and a reader that sees N never later sees a new event below N. A SEQUENCE
   * would hand out numbers at insert time and let a later number commit first, and a
   * cursor past it would skip the earlier one for good. The lock serializes appends
   * only, which are short transactions of their own.
   */
  async appendEvent(event: SecretEventInput & { id: string; occurredAt: number }): Promise<StoredEvent> {
    return this.db.transaction(async (tx) => {
      if (this.db.dialect === 'postgres') {
        await tx.get(EVENT_SEQUENCE_LOCK);
      }
      const head = await tx.get<{ head: number | string | null }>('SELECT MAX(sequence) AS head FROM secret_events');
      const sequence = Number(head?.head ?? 0) + 1;
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
      return { ...event, sequence };
    });
  }

  async listEvents(filter: EventFilter): Promise<StoredEvent[]> {
    const where = ['organization_id = ?', 'sequence > ?'];
    const params: SqlValue[] = [filter.organizationId, filter.after];
    if (filter.upTo !== undefined && filter.upTo !== null) {
      where.push('sequence <= ?');
      params.push(filter.upTo);
    }
    if (filter.region) {
      where.push('region = ?');
      params.push(filter.region);
    }
    if (filter.projectIds) {
      if (filter.projectIds.length === 0) {
        return [];
      }
      where.push(`project_id IN (${placeholders(filter.projectIds.length)})`);
      params.push(...filter.projectIds);
    }
    if (filter.pathPrefix) {
      // A prefix ending in "/" or matching a whole segment: `/prod` takes `/prod` and `/prod/db`, not `/production`.
      const folder = filter.pathPrefix.endsWith('/') ? filter.pathPrefix : `${filter.pathPrefix}/`;
      where.push('(path = ? OR substr(path, 1, ?) = ?)');
      params.push(filter.pathPrefix, folder.length, folder);
    }
    if (filter.types && filter.types.length > 0) {
      where.push(`type IN (${placeholders(filter.types.length)})`);
      params.push(...filter.types);
    }
    params.push(filter.limit);
    const rows = await this.db.all<EventRow>(`SELECT ${EVENT_COLUMNS} FROM secret_events WHERE ${where.join(' AND ')} ORDER BY sequence LIMIT ?`, params);
    return rows.map(fromEventRow);
  }

  async headSequence(): Promise<number> {
    const row = await this.db.get<{ head: number | string | null }>('SELECT MAX(sequence) AS head FROM secret_events');
    return Number(row?.head ?? 0);
  }

  async insertWebhook(webhook: Webhook): Promise<void> {
    await this.db.run(`INSERT INTO webhooks (${WEBHOOK_COLUMNS}) VALUES (${placeholders(18)})`, webhookValues(webhook));
  }

  async getWebhook(id: string): Promise<Webhook | null> {
    const row = await this.db.get<WebhookRow>(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE id = ?`, [id]);
    return row ? fromWebhookRow(row) : null;
  }

  async listWebhooks(organizationId: string): Promise<Webhook[]> {
    const rows = await this.db.all<WebhookRow>(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE organization_id = ? ORDER BY created_at, id`, [organizationId]);
    return rows.map(fromWebhookRow);
  }

  async updateWebhook(id: string, mutate: (webhook: Webhook) => Webhook): Promise<Webhook> {
    return this.db.transaction(async (tx) => {
      const row = await tx.get<WebhookRow>(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE id = ? FOR UPDATE`, [id]);
      if (!row) {
        throw notFound('webhook', id);
      }
      const next = mutate(fromWebhookRow(row));
      // Settings only: the delivery state belongs to the delivery job (recordDelivery).
      await tx.run(
        'UPDATE webhooks SET url = ?, description = ?, event_types = ?, project_id = ?, path_prefix = ?, enabled = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?',
        [next.url, next.description, JSON.stringify(next.eventTypes), next.projectId, next.pathPrefix, next.enabled ? 1 : 0, next.nextAttemptAt, next.updatedAt, id],
      );
      return next;
    });
  }

  async deleteWebhook(id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM webhooks WHERE id = ?', [id])).changes === 1;
  }

  async findDueWebhooks(now: number, head: number, limit: number): Promise<Webhook[]> {
    const rows = await this.db.all<WebhookRow>(
      `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE enabled = 1 AND next_attempt_at <= ? AND cursor_sequence < ? ORDER BY next_attempt_at, id LIMIT ?`,
      [now, head, limit],
    );
    return rows.map(fromWebhookRow);
  }

  async recordDelivery(id: string, expectedCursor: number, state: DeliveryState): Promise<boolean> {
    const { changes } = await this.db.run(
      `UPDATE webhooks SET cursor_sequence = ?, attempts = ?, next_attempt_at = ?, first_failure_at = ?, last_error = ?, failing = ?, last_delivered_at = ?
       WHERE id = ? AND cursor_sequence = ?`,
      [state.cursor, state.attempts, state.nextAttemptAt, state.firstFailureAt, state.lastError, state.failing ? 1 : 0, state.lastDeliveredAt, id, expectedCursor],
    );
    return changes === 1;
  }
}

