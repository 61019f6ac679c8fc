import type { Clock } from '../../shared/clock.js';
import { newId } from '../../shared/ids.js';
import type { Logger } from '../../shared/logger.js';
import type { EventStore } from './event-store.js';
import type { EventPublisher, SecretEventInput } from './event-types.js';

export interface StoredEventPublisherDeps {
  store: Pick<EventStore, 'appendEvent'>;
  clock: Clock;
  logger: Logger;
}

const ATTEMPTS = 3;

/**
 * Appends an event no secret write carries (a rotation's outcome) to the store, where the
 * change feed and webhook deliveries read it. Called after what it reports was recorded,
 * so a store that refuses the event (three times) is reported in the log rather than to
 * the caller. Secrets' own changes do not come here: their events are written in the
 * change's transaction (see docs/notifications.md).
 */
export const createStoredEventPublisher = ({ store, clock, logger }: StoredEventPublisherDeps): EventPublisher => ({
  async publish(event: SecretEventInput): Promise<void> {
    const stored = { ...event, id: newId(), occurredAt: clock.nowMicros() };
    for (let attempt = 1; ; attempt += 1) {
      try {
        await store.appendEvent(stored);
        return;
      } catch (error) {
        if (attempt >= ATTEMPTS) {
          // Identifiers only: an event never carries a payload, and neither does this line.
          logger.error({ err: error, eventType: event.type, secretId: event.secretId, revision: event.revision }, 'a lifecycle event could not be stored');
          return;
        }
      }
    }
  },
});
