import type { Command } from 'commander';
import { cell, printObject, printRows } from '../output.js';
import { createProgress } from '../progress.js';
import { act, argument, collect, openSession, withConnection, type Session } from './common.js';
import { secretIdOf } from './secret-id.js';
import { registerSecretRotation } from './secret-rotation.js';

type Json = Record<string, unknown>;
const PAGE_SIZE = 100;

const secretRow = (secret: Json) => ({
  id: cell(secret.id),
  name: cell(secret.name),
  path: cell(secret.path),
  type: cell(secret.type),
  versions: cell(secret.version_count),
  protected: cell(secret.protected),
  deletion: secret.deletion_requested_at ? 'scheduled_for_deletion' : '',
});

/** Every page of a listing; a progress bar once there is more than one page. */
const listAll = async (session: Session, query: URLSearchParams): Promise<Json[]> => {
  const secrets: Json[] = [];
  let progress: ReturnType<typeof createProgress> | undefined;
  for (let page = 1; ; page += 1) {
    query.set('page', String(page));
    query.set('page_size', String(PAGE_SIZE));
    const listed = await session.call<{ secrets: Json[]; total_count: number }>('GET', `${session.base}/secrets?${query.toString()}`);
    const items = listed?.secrets ?? [];
    secrets.push(...items);
    const total = listed?.total_count ?? secrets.length;
    if (total > PAGE_SIZE) {
      progress ??= createProgress('listing secrets');
      progress.update(secrets.length, total);
    }
    if (items.length === 0 || secrets.length >= total) {
      progress?.finish();
      return secrets;
    }
  }
};

const printSecret = (session: Session, secret: Json | null) => printObject(session.options.output, secret ?? {});

/** `coffer secret …`: the Scaleway API's secret endpoints. */
export const registerSecret = (program: Command): void => {
  const secret = program.command('secret').description('create, list, read, change and delete secrets');

  withConnection(secret.command('create').description('create a secret (add its value with `coffer version add`)'))
    .requiredOption('--name <name>', 'the secret name')
    .option('--path <path>', 'folder, e.g. /prod/database', '/')
    .option('--type <type>', 'opaque, key_value, basic_credentials, database_credentials, certificate or ssh_key', 'opaque')
    .option('--description <text>')
    .option('--tag <tag>', 'a tag (repeatable)', collect)
    .option('--protected', 'refuse deletion until unprotected')
    .action(
      act(async (command) => {
        const session = openSession(command);
        const options = command.opts<{ name: string; path: string; type: string; description?: string; tag?: string[]; protected?: boolean }>();
        const created = await session.call<Json>('POST', `${session.base}/secrets`, {
          name: options.name,
          path: options.path,
          type: options.type,
          protected: options.protected ?? false,
          ...(options.description ? { description: options.description } : {}),
          ...(options.tag ? { tags: options.tag } : {}),
          ...(session.client.projectId ? { project_id: session.client.projectId } : {}),
        });
        printSecret(session, created);
      }),
    );

  withConnection(secret.command('list').description('list secrets, every page'))
    .option('--name <name>', 'exact name')
    .option('--path <path>', 'exact folder')
    .option('--tag <tag>', 'carries this tag (repeatable)', collect)
    .option('--type <type>', 'of this type')
    .option('--scheduled-for-deletion', 'only secrets waiting for their purge')
    .action(
      act(async (command) => {
        const session = openSession(command);
        const options = command.opts<{ name?: string; path?: string; tag?: string[]; type?: string; scheduledForDeletion?: boolean }>();
        const query = new URLSearchParams();
        for (const [key, value] of [['name', options.name], ['path', options.path], ['type', options.type], ['project_id', session.client.projectId]] as const) {
          if (value) {
            query.set(key, value);
          }
        }
        for (const tag of options.tag ?? []) {
          query.append('tags', tag);
        }
        if (options.scheduledForDeletion) {
          query.set('scheduled_for_deletion', 'true');
        }
        const secrets = await listAll(session, query);
        printRows(session.options.output, { secrets, total_count: secrets.length }, secrets.map(secretRow));
      }),
    );

  withConnection(secret.command('get').description('show a secret').argument('<secret>', 'id or /folder/name')).action(
    act(async (command) => {
      const session = openSession(command);
      const id = await secretIdOf(session, argument(command, 0));
      printSecret(session, await session.call<Json>('GET', `${session.base}/secrets/${id}`));
    }),
  );

  withConnection(secret.command('update').description('rename, move, describe or re-tag a secret').argument('<secret>', 'id or /folder/name'))
    .option('--name <name>')
    .option('--path <path>')
    .option('--description <text>')
    .option('--tag <tag>', 'replaces the tags (repeatable)', collect)
    .action(
      act(async (command) => {
        const session = openSession(command);
        const options = command.opts<{ name?: string; path?: string; description?: string; tag?: string[] }>();
        const id = await secretIdOf(session, argument(command, 0));
        const body = Object.fromEntries(Object.entries({ name: options.name, path: options.path, description: options.description, tags: options.tag }).filter(([, value]) => value !== undefined));
        printSecret(session, await session.call<Json>('PATCH', `${session.base}/secrets/${id}`, body));
      }),
    );

  withConnection(secret.command('delete').description('schedule secrets for deletion (restorable until the purge)').argument('<secrets...>', 'ids or /folder/name paths'))
    .option('--window-days <days>', 'days until the purge, 7 to 30 (default: the server\'s, 7)')
    .option('--force', 'purge at once, for good (needs --confirm)')
    .option('--confirm <id>', 'the secret id again, to confirm --force')
    .action(
      act(async (command) => {
        const session = openSession(command);
        const options = command.opts<{ windowDays?: string; force?: boolean; confirm?: string }>();
        const targets = command.processedArgs[0] as string[];
        const progress = targets.length > 1 ? createProgress('deleting') : undefined;
        // A window or a forced purge is Coffer's own endpoint; the plain delete stays Scaleway's.
        const body =
          options.windowDays === undefined && options.force !== true
            ? null
            : { ...(options.windowDays === undefined ? {} : { window_days: Number(options.windowDays) }), ...(options.force ? { force: true } : {}), ...(options.confirm === undefined ? {} : { confirm: options.confirm }) };
        for (const [index, target] of targets.entries()) {
          const id = await secretIdOf(session, target);
          if (body === null) {
            await session.call('DELETE', `${session.base}/secrets/${id}`);
          } else {
            printObject(session.format, (await session.call('POST', `/coffer/v1/regions/${encodeURIComponent(session.client.region)}/secrets/${id}/schedule-deletion`, body)) ?? {});
          }
          progress?.update(index + 1, targets.length);
        }
        progress?.finish();
      }),
    );

  for (const [verb, description] of [
    ['restore', 'bring back a secret scheduled for deletion'],
    ['protect', 'refuse deletion of a secret'],
    ['unprotect', 'allow deletion of a secret again'],
  ] as const) {
    withConnection(secret.command(verb).description(description).argument('<secret>', 'id or /folder/name')).action(
      act(async (command) => {
        const session = openSession(command);
        const id = await secretIdOf(session, argument(command, 0));
        printSecret(session, await session.call<Json>('POST', `${session.base}/secrets/${id}/${verb}`, {}));
      }),
    );
  }

  withConnection(secret.command('usage').description("how often a secret's versions were read, and by whom (needs AuditLogReadOnly)").argument('<secret>', 'id or /folder/name')).action(
    act(async (command) => {
      const session = openSession(command);
      const id = await secretIdOf(session, argument(command, 0));
      printObject(session.format, (await session.call('GET', `/coffer/v1/audit/secrets/${id}/usage`)) ?? {});
    }),
  );

  withConnection(secret.command('browse').description('folders and secrets under a path').argument('[prefix]', 'folder', '/')).action(
    act(async (command) => {
      const session = openSession(command);
      const query = new URLSearchParams({ prefix: argument(command, 0), page_size: String(PAGE_SIZE) });
      if (session.client.projectId) {
        query.set('project_id', session.client.projectId);
      }
      const browsed = await session.call<{ items: Json[] }>('GET', `${session.base}/secrets/browse?${query.toString()}`);
      const rows = (browsed?.items ?? []).map((item) => {
        const folder = item.folder as Json | null | undefined;
        const entry = item.secret as Json | null | undefined;
        return { name: cell(item.name), kind: folder ? 'folder' : 'secret', id: cell(entry?.id), type: cell(entry?.type) };
      });
      printRows(session.options.output, browsed, rows);
    }),
  );

  registerSecretRotation(secret);
};
