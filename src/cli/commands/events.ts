import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { EXIT } from '../errors.js';
import { printObject, printRows } from '../output.js';
import { act, argument, collect, openSession, withConnection, type Session } from './common.js';

interface FeedEvent {
  id: string;
  cursor: string;
  type: string;
  occurred_at: string;
  project_id: string;
  path: string;
  secret_id: string;
  revision: number | null;
}

interface Webhook {
  id: string;
  url: string;
  status: string;
  event_types: string[];
  project_id: string | null;
  path_prefix: string | null;
  description: string;
  delivery: { attempts: number; last_error: string | null };
}

const eventRow = (event: FeedEvent) => ({
  cursor: event.cursor,
  time: event.occurred_at,
  type: event.type,
  path: event.path,
  revision: event.revision === null ? '-' : String(event.revision),
  secret: event.secret_id,
});

const webhookRow = (webhook: Webhook) => ({
  id: webhook.id,
  status: webhook.status,
  // Only the origin: a path or query may carry a token.
  url: new URL(webhook.url).origin,
  events: webhook.event_types.length === 0 ? 'all' : webhook.event_types.join(','),
  filter: [webhook.project_id ?? '', webhook.path_prefix ?? ''].filter((part) => part !== '').join(' ') || '-',
  attempts: String(webhook.delivery.attempts),
});

interface FeedOptions {
  since: string;
  follow?: boolean;
  interval: string;
  limit: string;
  type?: string[];
  pathPrefix?: string;
}

const feedPage = async (session: Session, options: FeedOptions, cursor: string) => {
  const params = new URLSearchParams({ since: cursor, page_size: options.limit });
  for (const type of options.type ?? []) {
    params.append('type', type);
  }
  if (options.pathPrefix) {
    params.set('path_prefix', options.pathPrefix);
  }
  if (session.options.project) {
    params.set('project_id', session.options.project);
  }
  const path = `/coffer/v1/regions/${encodeURIComponent(session.client.region)}/events?${params.toString()}`;
  return (await session.call<{ events: FeedEvent[]; next_cursor: string }>('GET', path)) ?? { events: [], next_cursor: cursor };
};

/** `coffer events`: the change feed; `coffer webhooks`: signed push subscriptions to it. */
export const registerEvents = (program: Command): void => {
  withConnection(program.command('events').description('lifecycle events after a cursor (the change feed); with -f, keep following'))
    .option('--since <cursor>', 'start after this cursor (a next_cursor printed before)', '0')
    .option('-f, --follow', 'keep polling for new events')
    .option('--interval <seconds>', 'poll interval when following', '2')
    .option('--limit <n>', 'events per request', '100')
    .option('--type <type>', 'only this event type (repeatable)', collect)
    .option('--path-prefix <path>', 'only secrets under this path')
    .action(
      act(async (command) => {
        const session = openSession(command);
        const options = command.opts<FeedOptions>();
        let cursor = options.since;
        for (;;) {
          const page = await feedPage(session, options, cursor);
          if (!options.follow) {
            printRows(session.format, page, page.events.map(eventRow));
            // On stderr, so that the table or JSON on stdout stays clean to pipe.
            console.error(`next cursor: ${page.next_cursor}`);
            return;
          }
          for (const event of page.events) {
            console.log(session.format === 'table' ? Object.values(eventRow(event)).join('  ') : JSON.stringify(event));
          }
          cursor = page.next_cursor;
          if (page.events.length === 0) {
            await sleep(Number(options.interval) * 1000);
          }
        }
      }),
    );

  const webhooks = program.command('webhooks').description('webhook subscriptions: signed, retried, filtered pushes of lifecycle events');
  withConnection(webhooks.command('create').description('subscribe a URL; prints the signing secret once').argument('<url>'))
    .option('--type <type>', 'only this event type (repeatable; default every type)', collect)
    .option('--path-prefix <path>', 'only secrets under this path')
    .option('--for-project <id>', 'only this project (default every project)')
    .option('--description <text>')
    .option('--disabled', 'create it disabled')
    .action(
      act(async (command) => {
        const session = openSession(command);
        const options = command.opts<{ type?: string[]; pathPrefix?: string; forProject?: string; description?: string; disabled?: boolean }>();
        const created = await session.call<Record<string, unknown>>('POST', '/coffer/v1/webhooks', {
          url: argument(command, 0),
          event_types: options.type ?? [],
          project_id: options.forProject ?? null,
          path_prefix: options.pathPrefix ?? null,
          description: options.description ?? '',
          enabled: options.disabled !== true,
        });
        printObject(session.format, created ?? {});
        if (session.format === 'table') {
          console.error('The signing secret is shown only this once: store it where the receiver verifies signatures.');
        }
      }),
    );
  withConnection(webhooks.command('list').description('subscriptions and their delivery state')).action(
    act(async (command) => {
      const session = openSession(command);
      const listed = (await session.call<{ webhooks: Webhook[] }>('GET', '/coffer/v1/webhooks')) ?? { webhooks: [] };
      printRows(session.format, listed, listed.webhooks.map(webhookRow));
    }),
  );
  withConnection(webhooks.command('get').description('one subscription, with where its deliveries stand').argument('<id>')).action(
    act(async (command) => {
      const session = openSession(command);
      printObject(session.format, (await session.call('GET', `/coffer/v1/webhooks/${encodeURIComponent(argument(command, 0))}`)) ?? {});
    }),
  );
  withConnection(webhooks.command('delete').description('remove a subscription').argument('<id>')).action(
    act(async (command) => {
      const session = openSession(command);
      await session.call('DELETE', `/coffer/v1/webhooks/${encodeURIComponent(argument(command, 0))}`);
      console.error(`deleted webhook ${argument(command, 0)}`);
    }),
  );
  withConnection(webhooks.command('test').description('send a signed webhook.test ping now').argument('<id>')).action(
    act(async (command) => {
      const session = openSession(command);
      const result = (await session.call<Record<string, unknown>>('POST', `/coffer/v1/webhooks/${encodeURIComponent(argument(command, 0))}/test`, {})) ?? {};
      printObject(session.format, result);
      if (result.delivered !== true) {
        process.exitCode = EXIT.failure;
      }
    }),
  );
};
