import { MICROS_PER_SECOND } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { ScheduledJob } from '../scheduler/scheduled-job.js';
import { eventToJson } from './event-json.js';
import type { DeliveryState, StoredEvent, Webhook } from './event-model.js';
import type { EventStore } from './event-store.js';
import { signatureOf, type SecretSealer } from './webhook-signing.js';
import { failureReason, loggableOrigin, type WebhookTransport } from './webhook-transport.js';

export interface DeliverySettings {
  timeoutMs: number;
  /** Backoff after the first failure; it doubles with each further failure up to `maxBackoffSeconds`. */
  baseBackoffSeconds: number;
  maxBackoffSeconds: number;
  /** After this many failed attempts, or this long failing, the subscription shows as failing. */
  failingAfterAttempts: number;
  failingAfterSeconds: number;
}

export const DEFAULT_DELIVERY_SETTINGS: DeliverySettings = {
  timeoutMs: 5_000,
  baseBackoffSeconds: 10,
  maxBackoffSeconds: 3_600,
  failingAfterAttempts: 10,
  failingAfterSeconds: 86_400,
};

export interface DeliveryDeps {
  store: Pick<EventStore, 'findDueWebhooks' | 'listEvents' | 'headSequence' | 'recordDelivery'>;
  sealer: SecretSealer;
  transport: WebhookTransport;
  logger: Logger;
  settings?: DeliverySettings;
}

const SUBSCRIPTIONS_PER_PASS = 50;
const EVENTS_PER_SUBSCRIPTION = 100;

/** The headers and body of one signed delivery; the test endpoint signs its ping the same way. */
export const signedRequest = (secret: string, eventId: string, eventType: string, body: string, nowMicros: number): Record<string, string> => {
  const timestamp = Math.floor(nowMicros / MICROS_PER_SECOND);
  return {
    'content-type': 'application/json',
    'user-agent': 'coffer-webhooks/1',
    'x-coffer-event-id': eventId,
    'idempotency-key': eventId,
    'x-coffer-event-type': eventType,
    'x-coffer-timestamp': String(timestamp),
    'x-coffer-signature': signatureOf(secret, timestamp, body),
  };
};

/**
 * Delivers each subscription's events in order, at least once. Nothing is kept in
 * memory: a subscription's cursor (the last event it acknowledged) and its retry state
 * are in the store, so a restart, or another process taking over the scheduler, goes on
 * where the last pass stopped. An event that fails blocks the later ones of that
 * subscription, retried with exponential backoff; it is never dropped.
 */
export const createWebhookDeliveryJob = ({ store, sealer, transport, logger, settings = DEFAULT_DELIVERY_SETTINGS }: DeliveryDeps): ScheduledJob => {
  const backoffMicros = (attempts: number): number =>
    Math.min(settings.baseBackoffSeconds * 2 ** Math.min(attempts - 1, 30), settings.maxBackoffSeconds) * MICROS_PER_SECOND;

  const attempt = async (hook: Webhook, secret: string, event: StoredEvent, now: number): Promise<string | null> => {
    const body = JSON.stringify(eventToJson(event));
    try {
      const { status } = await transport({ url: hook.url, headers: signedRequest(secret, event.id, event.type, body, now), body, timeoutMs: settings.timeoutMs });
      return status >= 200 && status < 300 ? null : `HTTP ${status}`;
    } catch (error) {
      return failureReason(error);
    }
  };

  const failed = (hook: Webhook, cursor: number, reason: string, now: number): DeliveryState => {
    const attempts = hook.cursor === cursor ? hook.attempts + 1 : 1;
    const firstFailureAt = hook.cursor === cursor ? (hook.firstFailureAt ?? now) : now;
    return {
      cursor,
      attempts,
      nextAttemptAt: now + backoffMicros(attempts),
      firstFailureAt,
      lastError: reason,
      failing: attempts >= settings.failingAfterAttempts || now - firstFailureAt >= settings.failingAfterSeconds * MICROS_PER_SECOND,
      lastDeliveredAt: hook.lastDeliveredAt,
    };
  };

  const deliverTo = async (hook: Webhook, head: number, now: number): Promise<number> => {
    const secret = sealer.open(hook.id, hook.organizationId, hook.sealedSecret);
    let cursor = hook.cursor;
    let lastDeliveredAt = hook.lastDeliveredAt;
    let delivered = 0;
    const succeeded = (to: number): DeliveryState => ({ cursor: to, attempts: 0, nextAttemptAt: now, firstFailureAt: null, lastError: null, failing: false, lastDeliveredAt });
    while (delivered < EVENTS_PER_SUBSCRIPTION) {
      const batch = await store.listEvents({
        organizationId: hook.organizationId,
        after: cursor,
        upTo: head,
        projectIds: hook.projectId === null ? null : [hook.projectId],
        pathPrefix: hook.pathPrefix,
        types: hook.eventTypes,
        limit: EVENTS_PER_SUBSCRIPTION - delivered,
      });
      if (batch.length === 0) {
        // Nothing up to the head matches: move past the events this subscription ignores.
        if (cursor < head && (await store.recordDelivery(hook.id, cursor, succeeded(head)))) {
          cursor = head;
        }
        return delivered;
      }
      for (const event of batch) {
        const reason = await attempt(hook, secret, event, now);
        if (reason !== null) {
          const state = failed(hook, cursor, reason, now);
          await store.recordDelivery(hook.id, cursor, state);
          logger.warn({ webhookId: hook.id, origin: loggableOrigin(hook.url), eventId: event.id, attempts: state.attempts, reason }, 'webhook delivery failed; will retry');
          return delivered;
        }
        lastDeliveredAt = now;
        // Another process that delivered the same event moved the cursor: it owns the rest.
        if (!(await store.recordDelivery(hook.id, cursor, succeeded(event.sequence)))) {
          return delivered;
        }
        cursor = event.sequence;
        hook = { ...hook, cursor, attempts: 0, firstFailureAt: null };
        delivered += 1;
      }
    }
    return delivered;
  };

  return {
    name: 'webhook-delivery',
    async runDue(nowMicros: number): Promise<number> {
      let delivered = 0;
      // Read once: events stored during the pass wait for the next one, so a pass ends.
      const head = await store.headSequence();
      for (const hook of await store.findDueWebhooks(nowMicros, head, SUBSCRIPTIONS_PER_PASS)) {
        try {
          delivered += await deliverTo(hook, head, nowMicros);
        } catch (error) {
          // One subscription's trouble (an unreadable sealed secret, a store error) must not stop the others.
          logger.error({ err: error, webhookId: hook.id }, 'webhook delivery pass failed');
        }
      }
      return delivered;
    },
  };
};
