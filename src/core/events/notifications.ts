import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { Actor, Project } from '../iam/index.js';
import type { ScheduledJob } from '../scheduler/scheduled-job.js';
import { createEventFeed } from './event-feed.js';
import { createStoredEventPublisher } from './event-publisher.js';
import type { EventStore } from './event-store.js';
import type { EventPublisher } from './event-types.js';
import { createWebhookDeliveryJob, DEFAULT_DELIVERY_SETTINGS, type DeliverySettings } from './webhook-delivery.js';
import { createWebhookService } from './webhook-service.js';
import { createSecretSealer } from './webhook-signing.js';
import { fetchTransport, type WebhookTransport } from './webhook-transport.js';

export interface NotificationsDeps {
  eventStore: EventStore;
  iam: {
    authorize(actor: Actor, action: 'secrets:event:list' | 'secrets:webhook:manage', resource: { organizationId: string; projectId?: string; region?: string }): void;
    resolveProject(actor: Actor, projectId: string | null | undefined): Promise<Project>;
    projectsAllowing(actor: Actor, action: 'secrets:event:list'): string[] | null;
  };
  /** Derived from the root key with WEBHOOK_SECRET_KEY_LABEL: seals the subscriptions' signing secrets. */
  sealingKey: Uint8Array;
  clock: Clock;
  logger: Logger;
  regions: readonly string[];
  transport?: WebhookTransport;
  delivery?: DeliverySettings;
}

/**
 * Events, the change feed and webhooks, wired once: main.ts takes what it needs from here.
 * A secret's changes reach the log without this module: the secret store appends their
 * events in the change's own transaction (openStorage's `secretEvents`).
 */
export const createNotifications = (deps: NotificationsDeps) => {
  const { eventStore, iam, clock, logger, regions } = deps;
  const publisher: EventPublisher = createStoredEventPublisher({ store: eventStore, clock, logger });
  const sealer = createSecretSealer(deps.sealingKey);
  const transport = deps.transport ?? fetchTransport;
  const deliveryJob: ScheduledJob = createWebhookDeliveryJob({ store: eventStore, sealer, transport, logger, settings: deps.delivery ?? DEFAULT_DELIVERY_SETTINGS });
  return {
    /** For events no secret write carries: rotation outcomes. */
    publisher,
    feed: createEventFeed({ store: eventStore, iam, regions }),
    webhooks: createWebhookService({ store: eventStore, iam, sealer, transport, clock }),
    deliveryJob,
  };
};

export type Notifications = ReturnType<typeof createNotifications>;
