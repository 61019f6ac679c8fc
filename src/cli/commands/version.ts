import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CliError, EXIT } from '../errors.js';
import { cell, printObject, printRows } from '../output.js';
import { act, argument, collect, openSession, withConnection } from './common.js';
import { importPairs } from './kv-import.js';
import { secretIdOf } from './secret-id.js';

type Json = Record<string, unknown>;

const versionRow = (version: Json) => ({
  revision: cell(version.revision),
  status: cell(version.status),
  latest: cell(version.latest),
  created_at: cell(version.created_at),
  description: cell(version.description),
});

/** The payload of a new version: a file, or stdin. Never an argument, which other users can read in ps. */
const readPayload = async (file: string | undefined): Promise<Buffer> => {
  if (file && file !== '-') {
    try {
      return await readFile(file);
    } catch (error) {
      throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, EXIT.usage);
    }
  }
  if (process.stdin.isTTY) {
    throw new CliError('pipe the value on stdin or give --file <path>', EXIT.usage);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
};

const REVISION_HELP = 'a number, latest or latest_enabled';

/** `coffer version …`: a secret's versions and their payloads. */
export const registerVersion = (program: Command): void => {
  const version = program.command('version').description("add, list, read and change a secret's versions");

  withConnection(version.command('add').description('add a version; the value comes from --file or stdin').argument('<secret>', 'id or /folder/name'))
    .option('--file <path>', 'read the value from this file ("-" for stdin)')
    .option('--import <path>', 'key_value pairs from a .env, .json or .yaml file')
    .option('--description <text>')
    .option('--disable-previous', 'disable the version that was latest')
    .action(
      act(async (command) => {
        const session = openSession(command);
        const options = command.opts<{ file?: string; import?: string; description?: string; disablePrevious?: boolean }>();
        const id = await secretIdOf(session, argument(command, 0));
        const payload = options.import ? await importPairs(options.import) : await readPayload(options.file);
        const created = await session.call<Json>('POST', `${session.base}/secrets/${id}/versions`, {
          data: payload.toString('base64'),
          ...(options.description ? { description: options.description } : {}),
          ...(options.disablePrevious ? { disable_previous: true } : {}),
        });
        printObject(session.options.output, created ?? {});
      }),
    );

  withConnection(version.command('list').description("a secret's versions").argument('<secret>', 'id or /folder/name'))
    .option('--status <status>', 'enabled, disabled, deleted or scheduled_for_deletion (repeatable)', collect)
    .action(
      act(async (command) => {
        const session = openSession(command);
        const id = await secretIdOf(session, argument(command, 0));
        const query = new URLSearchParams({ page_size: '100' });
        for (const status of command.opts<{ status?: string[] }>().status ?? []) {
          query.append('status', status);
        }
        const listed = await session.call<{ versions: Json[] }>('GET', `${session.base}/secrets/${id}/versions?${query.toString()}`);
        printRows(session.options.output, listed, (listed?.versions ?? []).map(versionRow));
      }),
    );

  withConnection(version.command('get').description("a version's metadata").argument('<secret>', 'id or /folder/name').argument('<revision>', REVISION_HELP)).action(
    act(async (command) => {
      const session = openSession(command);
      const id = await secretIdOf(session, argument(command, 0));
      printObject(session.options.output, (await session.call<Json>('GET', `${session.base}/secrets/${id}/versions/${encodeURIComponent(argument(command, 1))}`)) ?? {});
    }),
  );

  withConnection(
    version
      .command('access')
      .description("print a version's value (raw bytes; --output json gives the API's answer)")
      .argument('<secret>', 'id or /folder/name')
      .argument('[revision]', REVISION_HELP, 'latest_enabled'),
  ).action(
    act(async (command) => {
      const session = openSession(command);
      const id = await secretIdOf(session, argument(command, 0));
      const accessed = await session.call<Json>('GET', `${session.base}/secrets/${id}/versions/${encodeURIComponent(argument(command, 1))}/access`);
      if (session.format === 'table') {
        process.stdout.write(Buffer.from(String(accessed?.data ?? ''), 'base64'));
        return;
      }
      printObject(session.options.output, accessed ?? {});
    }),
  );

  for (const [verb, description] of [
    ['enable', 'make a version readable again'],
    ['disable', 'stop a version from being read'],
  ] as const) {
    withConnection(version.command(verb).description(description).argument('<secret>', 'id or /folder/name').argument('<revision>', REVISION_HELP)).action(
      act(async (command) => {
        const session = openSession(command);
        const id = await secretIdOf(session, argument(command, 0));
        const changed = await session.call<Json>('POST', `${session.base}/secrets/${id}/versions/${encodeURIComponent(argument(command, 1))}/${verb}`, {});
        printObject(session.options.output, changed ?? {});
      }),
    );
  }

  withConnection(version.command('delete').description('schedule a version for deletion').argument('<secret>', 'id or /folder/name').argument('<revision>', REVISION_HELP)).action(
    act(async (command) => {
      const session = openSession(command);
      const id = await secretIdOf(session, argument(command, 0));
      await session.call('DELETE', `${session.base}/secrets/${id}/versions/${encodeURIComponent(argument(command, 1))}`);
    }),
  );
};
