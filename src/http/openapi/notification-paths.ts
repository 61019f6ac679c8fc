import { arrayOf, bool, int, nullableStr, nullableTime, object, operation, pathParam, queryParam, str, time, uuid, type PathItems, type Schema } from './builders.js';

const webhookId = pathParam('webhook_id', 'the subscription', uuid());

const settings = {
  url: str('where events are POSTed, signed', { format: 'uri' }),
  event_types: { type: ['array', 'null'], items: str(), description: 'only these types; null for all' },
  project_id: nullableStr('only this project'),
  path_prefix: nullableStr('only secrets under this path'),
  description: nullableStr(),
  enabled: { type: ['boolean', 'null'] },
};
const optionalSettings = ['event_types', 'project_id', 'path_prefix', 'description', 'enabled'];

const webhook: Schema = {
  ...object({
    id: uuid(),
    organization_id: uuid(),
    url: str(),
    description: nullableStr(),
    event_types: { type: ['array', 'null'], items: str() },
    project_id: nullableStr(),
    path_prefix: nullableStr(),
    enabled: bool(),
    status: str(undefined, { enum: ['active', 'failing', 'disabled'] }),
    delivery: object({ cursor: str(), attempts: int(), next_attempt_at: nullableTime(), failing_since: nullableTime(), last_error: nullableStr(), last_delivered_at: nullableTime() }),
    created_at: time(),
    updated_at: time(),
  }),
};

/** The change feed and webhook subscriptions. */
export const notificationPaths: PathItems = {
  '/coffer/v1/regions/{region}/events': {
    get: operation({
      id: 'listEvents',
      summary: 'The change feed: lifecycle events of the secrets the caller may read, after a cursor',
      tag: 'events',
      parameters: [
        pathParam('region', 'a configured region'),
        queryParam('since', 'a cursor this feed returned; absent: from the beginning'),
        queryParam('page_size', 'events per page, default 100', { type: 'integer', minimum: 1 }),
        queryParam('project_id', 'one project', uuid()),
        queryParam('path_prefix', 'secrets under this path'),
        queryParam('type', 'event types, repeated or comma-separated'),
      ],
      ok: { status: 200, schema: object({ events: arrayOf({ type: 'object' }), next_cursor: str() }) },
    }),
  },
  '/coffer/v1/webhooks': {
    post: operation({
      id: 'createWebhook',
      summary: 'Subscribe a URL to events; the signing secret is in this answer only',
      tag: 'events',
      body: object(settings, optionalSettings),
      ok: { status: 200, schema: { ...webhook, properties: { ...(webhook.properties as object), signing_secret: str() } } },
    }),
    get: operation({ id: 'listWebhooks', summary: 'The organization\'s webhook subscriptions', tag: 'events', ok: { status: 200, schema: object({ webhooks: arrayOf(webhook), total_count: int() }) } }),
  },
  '/coffer/v1/webhooks/{webhook_id}': {
    get: operation({ id: 'getWebhook', summary: 'One subscription and its delivery state', tag: 'events', parameters: [webhookId], ok: { status: 200, schema: webhook }, errors: [404] }),
    patch: operation({
      id: 'updateWebhook',
      summary: 'Change a subscription',
      tag: 'events',
      parameters: [webhookId],
      body: object(settings, ['url', ...optionalSettings]),
      ok: { status: 200, schema: webhook },
      errors: [404],
    }),
    delete: operation({ id: 'deleteWebhook', summary: 'Remove a subscription', tag: 'events', parameters: [webhookId], ok: { status: 204, schema: null }, errors: [404] }),
  },
  '/coffer/v1/webhooks/{webhook_id}/test': {
    post: operation({
      id: 'testWebhook',
      summary: 'Send a test event now and report what the receiver answered',
      tag: 'events',
      parameters: [webhookId],
      ok: { status: 200, schema: object({ delivered: bool(), status_code: { type: ['integer', 'null'] }, error: nullableStr() }) },
      errors: [404],
    }),
  },
};
