import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Webhook, WebhookService } from '../../core/events/index.js';
import { formatMicros } from '../../shared/clock.js';
import { actorOf } from '../auth.js';
import { sendJson, sendNoContent } from '../json.js';
import { uuidParam } from '../scaleway/params.js';
import { parseWith } from '../validation.js';

const settings = {
  url: z.string().max(4096),
  event_types: z.array(z.string().max(128)).max(64).nullable().optional(),
  project_id: z.string().uuid().nullable().optional(),
  path_prefix: z.string().max(4096).nullable().optional(),
  description: z.string().max(4096).nullable().optional(),
  enabled: z.boolean().nullable().optional(),
};
const createSchema = z.object(settings);
const updateSchema = z.object({ ...settings, url: settings.url.optional() });

const time = (micros: number | null): string | null => (micros === null ? null : formatMicros(micros));

const presentWebhook = (webhook: Webhook) => ({
  id: webhook.id,
  organization_id: webhook.organizationId,
  url: webhook.url,
  description: webhook.description,
  event_types: webhook.eventTypes,
  project_id: webhook.projectId,
  path_prefix: webhook.pathPrefix,
  enabled: webhook.enabled,
  // `failing`: retries have gone on too long; delivery goes on, nothing is dropped.
  status: !webhook.enabled ? 'disabled' : webhook.failing ? 'failing' : 'active',
  delivery: {
    cursor: String(webhook.cursor),
    attempts: webhook.attempts,
    next_attempt_at: time(webhook.nextAttemptAt),
    failing_since: time(webhook.firstFailureAt),
    last_error: webhook.lastError,
    last_delivered_at: time(webhook.lastDeliveredAt),
  },
  created_at: formatMicros(webhook.createdAt),
  updated_at: formatMicros(webhook.updatedAt),
});

type Body = z.output<typeof updateSchema>;
const inputOf = (body: Body) => ({
  ...(body.url === undefined ? {} : { url: body.url }),
  ...(body.event_types === undefined ? {} : { eventTypes: body.event_types }),
  ...(body.project_id === undefined ? {} : { projectId: body.project_id }),
  ...(body.path_prefix === undefined ? {} : { pathPrefix: body.path_prefix }),
  ...(body.description === undefined ? {} : { description: body.description }),
  ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
});

/** CRUD of webhook subscriptions; the signing secret appears once, in the creation's answer. */
export const registerWebhookRoutes = (app: FastifyInstance, webhooks: WebhookService): void => {
  const idOf = (params: unknown) => uuidParam((params as { webhook_id?: string }).webhook_id, 'webhook_id');

  app.post('/webhooks', async (request, reply) => {
    const body = parseWith(createSchema, request.body ?? {});
    const created = await webhooks.create(actorOf(request), { ...inputOf(body), url: body.url });
    return sendJson(reply, 200, { ...presentWebhook(created.webhook), signing_secret: created.signingSecret });
  });
  app.get('/webhooks', async (request, reply) => {
    const listed = await webhooks.list(actorOf(request));
    return sendJson(reply, 200, { webhooks: listed.map(presentWebhook), total_count: listed.length });
  });
  app.get('/webhooks/:webhook_id', async (request, reply) =>
    sendJson(reply, 200, presentWebhook(await webhooks.get(actorOf(request), idOf(request.params)))),
  );
  app.patch('/webhooks/:webhook_id', async (request, reply) => {
    const body = parseWith(updateSchema, request.body ?? {});
    return sendJson(reply, 200, presentWebhook(await webhooks.update(actorOf(request), idOf(request.params), inputOf(body))));
  });
  app.delete('/webhooks/:webhook_id', async (request, reply) => {
    await webhooks.delete(actorOf(request), idOf(request.params));
    return sendNoContent(reply);
  });
  app.post('/webhooks/:webhook_id/test', async (request, reply) => {
    const result = await webhooks.test(actorOf(request), idOf(request.params));
    return sendJson(reply, 200, { delivered: result.delivered, status_code: result.statusCode, error: result.error });
  });
};
