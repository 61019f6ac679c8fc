import type { Clock } from '../../shared/clock.js';
import { invalidField, notFound } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { Actor, Project } from '../iam/index.js';
import type { Webhook } from './event-model.js';
import type { EventStore } from './event-store.js';
import { parseEventTypes, validatePathPrefix } from './event-feed.js';
import { signedRequest, DEFAULT_DELIVERY_SETTINGS } from './webhook-delivery.js';
import { newSigningSecret, type SecretSealer } from './webhook-signing.js';
import { failureReason, type WebhookTransport } from './webhook-transport.js';

export interface WebhookServiceDeps {
  store: Omit<EventStore, 'appendEvent' | 'listEvents' | 'findDueWebhooks' | 'recordDelivery'>;
  iam: {
    authorize(actor: Actor, action: 'secrets:webhook:manage', resource: { organizationId: string }): void;
    resolveProject(actor: Actor, projectId: string | null | undefined): Promise<Project>;
  };
  sealer: SecretSealer;
  transport: WebhookTransport;
  clock: Clock;
}

export interface WebhookInput {
  url: string;
  eventTypes?: string[] | null;
  projectId?: string | null;
  pathPrefix?: string | null;
  description?: string | null;
  enabled?: boolean | null;
}

export type WebhookChanges = Partial<WebhookInput>;

const validateUrl = (url: string): string => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidField('url', 'format', 'url must be an absolute http or https URL');
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || url.length > 2048 || /\s/.test(url)) {
    throw invalidField('url', 'format', 'url must be an absolute http or https URL of at most 2048 characters');
  }
  return url;
};

const validateDescription = (description: string | null | undefined): string => {
  const text = description ?? '';
  if (text.length > 512) {
    throw invalidField('description', 'constraint', 'description must hold at most 512 characters');
  }
  return text;
};

/** Webhook subscriptions: an organization's administrators manage them. */
export const createWebhookService = ({ store, iam, sealer, transport, clock }: WebhookServiceDeps) => {
  const load = async (actor: Actor, id: string): Promise<Webhook> => {
    iam.authorize(actor, 'secrets:webhook:manage', { organizationId: actor.organizationId });
    const webhook = await store.getWebhook(id);
    // Another organization's subscription does not exist for this caller.
    if (!webhook || webhook.organizationId !== actor.organizationId) {
      throw notFound('webhook', id);
    }
    return webhook;
  };

  const projectOf = async (actor: Actor, projectId: string | null | undefined): Promise<string | null> =>
    projectId ? (await iam.resolveProject(actor, projectId)).id : null;

  return {
    /** Returns the subscription and its signing secret, which is never shown again. */
    async create(actor: Actor, input: WebhookInput): Promise<{ webhook: Webhook; signingSecret: string }> {
      iam.authorize(actor, 'secrets:webhook:manage', { organizationId: actor.organizationId });
      const url = validateUrl(input.url);
      const eventTypes = parseEventTypes(input.eventTypes ?? [], 'event_types');
      const pathPrefix = validatePathPrefix(input.pathPrefix, 'path_prefix');
      const description = validateDescription(input.description);
      const projectId = await projectOf(actor, input.projectId);
      const id = newId();
      const signingSecret = newSigningSecret();
      const now = clock.nowMicros();
      const webhook: Webhook = {
        id,
        organizationId: actor.organizationId,
        url,
        description,
        eventTypes,
        projectId,
        pathPrefix,
        enabled: input.enabled ?? true,
        sealedSecret: sealer.seal(id, actor.organizationId, signingSecret),
        // A new subscription receives what happens from now on; the change feed has the past.
        cursor: await store.headSequence(),
        attempts: 0,
        nextAttemptAt: now,
        firstFailureAt: null,
        lastError: null,
        failing: false,
        lastDeliveredAt: null,
        createdAt: now,
        updatedAt: now,
      };
      await store.insertWebhook(webhook);
      return { webhook, signingSecret };
    },

    get: load,

    async list(actor: Actor): Promise<Webhook[]> {
      iam.authorize(actor, 'secrets:webhook:manage', { organizationId: actor.organizationId });
      return store.listWebhooks(actor.organizationId);
    },

    async update(actor: Actor, id: string, changes: WebhookChanges): Promise<Webhook> {
      await load(actor, id);
      const url = changes.url === undefined ? undefined : validateUrl(changes.url);
      const eventTypes = changes.eventTypes === undefined ? undefined : parseEventTypes(changes.eventTypes ?? [], 'event_types');
      const pathPrefix = changes.pathPrefix === undefined ? undefined : validatePathPrefix(changes.pathPrefix, 'path_prefix');
      const description = changes.description === undefined ? undefined : validateDescription(changes.description);
      const projectId = changes.projectId === undefined ? undefined : await projectOf(actor, changes.projectId);
      const now = clock.nowMicros();
      return store.updateWebhook(id, (current) => ({
        ...current,
        url: url ?? current.url,
        eventTypes: eventTypes ?? current.eventTypes,
        pathPrefix: pathPrefix === undefined ? current.pathPrefix : pathPrefix,
        description: description ?? current.description,
        projectId: projectId === undefined ? current.projectId : projectId,
        enabled: changes.enabled ?? current.enabled,
        // Re-enabling or fixing the URL retries at once, resuming from the cursor: nothing was dropped.
        nextAttemptAt: Math.min(current.nextAttemptAt, now),
        updatedAt: now,
      }));
    },

    async delete(actor: Actor, id: string): Promise<void> {
      await load(actor, id);
      if (!(await store.deleteWebhook(id))) {
        throw notFound('webhook', id);
      }
    },

    /** Sends a signed `webhook.test` ping now, outside the event stream; the cursor does not move. */
    async test(actor: Actor, id: string): Promise<{ delivered: boolean; statusCode: number | null; error: string | null }> {
      const webhook = await load(actor, id);
      const secret = sealer.open(webhook.id, webhook.organizationId, webhook.sealedSecret);
      const now = clock.nowMicros();
      const pingId = newId();
      const body = JSON.stringify({ id: pingId, type: 'webhook.test', webhook_id: webhook.id, occurred_at: new Date(Math.floor(now / 1000)).toISOString() });
      try {
        const { status } = await transport({ url: webhook.url, headers: signedRequest(secret, pingId, 'webhook.test', body, now), body, timeoutMs: DEFAULT_DELIVERY_SETTINGS.timeoutMs });
        const delivered = status >= 200 && status < 300;
        return { delivered, statusCode: status, error: delivered ? null : `HTTP ${status}` };
      } catch (error) {
        return { delivered: false, statusCode: null, error: failureReason(error) };
      }
    },
  };
};

export type WebhookService = ReturnType<typeof createWebhookService>;
