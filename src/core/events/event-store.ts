import type { EventFilter, StoredEvent, Webhook, DeliveryState } from './event-model.js';
import type { EventToStore } from './event-types.js';

/**
 * Persistence of the event log and webhook subscriptions. The log is append-only and
 * ordered: a reader that saw sequence N never later sees a new event below N, on either
 * engine and with several processes, so a cursor never skips an event.
 */
export interface EventStore {
  /**
   * Appends the event in a transaction of its own and returns it with its sequence. A
   * secret's changes do not come this way: the secret store appends their events in the
   * change's own transaction (see SecretChange).
   */
  appendEvent(event: EventToStore): Promise<StoredEvent>;
  listEvents(filter: EventFilter): Promise<StoredEvent[]>;
  /** The highest sequence stored, 0 when the log is empty. */
  headSequence(): Promise<number>;

  insertWebhook(webhook: Webhook): Promise<void>;
  getWebhook(id: string): Promise<Webhook | null>;
  listWebhooks(organizationId: string): Promise<Webhook[]>;
  /** Read-modify-write of the subscription's settings; throws `not_found` when it is gone. */
  updateWebhook(id: string, mutate: (webhook: Webhook) => Webhook): Promise<Webhook>;
  /** True when a row was deleted. */
  deleteWebhook(id: string): Promise<boolean>;
  /** Enabled subscriptions behind `head` whose next attempt is due, the longest due first. */
  findDueWebhooks(now: number, head: number, limit: number): Promise<Webhook[]>;
  /**
   * Records a delivery outcome, only if the cursor is still `expectedCursor`: a second
   * process that raced this one changes nothing. Returns whether the row was written.
   */
  recordDelivery(id: string, expectedCursor: number, state: DeliveryState): Promise<boolean>;
}
