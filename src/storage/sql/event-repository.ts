import type { DeliveryState, EventFilter, EventStore, EventToStore, StoredEvent, Webhook } from '../../core/events/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { appendEventsIn, EVENT_COLUMNS } from './event-append.js';
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

const placeholders = (count: number): string => Array.from({ length: count }, () => '?').join(', ');

/** The event log and webhook subscriptions over SQL, the same on both engines. */
export class SqlEventStore implements EventStore {
  constructor(private readonly db: SqlDriver) {}

  /** One event in a transaction of its own, for events no secret write carries (rotation outcomes). */
  async appendEvent(event: EventToStore): Promise<StoredEvent> {
    const [stored] = await this.db.transaction((tx) => appendEventsIn(tx, this.db.dialect, [event]));
    if (!stored) {
      throw new AppError('internal', 'an appended event was not stored');
    }
    return stored;
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

