import type { FastifyInstance } from 'fastify';
import { eventToJson, type EventFeed, type WebhookService } from '../../core/events/index.js';
import { invalidField } from '../../shared/errors.js';
import { actorOf } from '../auth.js';
import { sendJson } from '../json.js';
import { many, optionalText, single, type Query } from '../scaleway/params.js';
import { registerWebhookRoutes } from './webhook-routes.js';

const DEFAULT_PAGE_SIZE = 100;

/** Cursors are the decimal sequence numbers the feed hands out; anything else is refused by name. */
const cursorParam = (query: Query, key: string): number => {
  const value = single(query, key) ?? '0';
  if (!/^\d{1,15}$/.test(value)) {
    throw invalidField(key, 'format', `${key} must be a cursor returned by this feed (digits), or absent to start at the beginning`);
  }
  return Number(value);
};

const pageSizeParam = (query: Query): number => {
  const value = single(query, 'page_size');
  if (value === undefined || value === '') {
    return DEFAULT_PAGE_SIZE;
  }
  if (!/^\d{1,6}$/.test(value)) {
    throw invalidField('page_size', 'format', 'page_size must be a positive integer');
  }
  return Number(value);
};

/** Coffer's change feed and webhook subscriptions; see docs/notifications.md. */
export const registerEventRoutes = (app: FastifyInstance, notifications: { feed: EventFeed; webhooks: WebhookService }): void => {
  app.get('/regions/:region/events', async (request, reply) => {
    const { region } = request.params as { region: string };
    const query = request.query as Query;
    // `type` may repeat or hold a comma-separated list.
    const types = many(query, 'type').flatMap((value) => value.split(',')).filter((value) => value !== '');
    const page = await notifications.feed.list(actorOf(request), region, {
      since: cursorParam(query, 'since'),
      pageSize: pageSizeParam(query),
      projectId: optionalText(query, 'project_id'),
      pathPrefix: optionalText(query, 'path_prefix'),
      types,
    });
    return sendJson(reply, 200, { events: page.events.map(eventToJson), next_cursor: String(page.nextCursor) });
  });
  registerWebhookRoutes(app, notifications.webhooks);
};
