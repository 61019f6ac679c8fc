import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { CliError, createClient, failFrom } from '../client.js';
import { EXIT } from '../errors.js';
import { cell, printObject, printRows } from '../output.js';
import { createProgress } from '../progress.js';
import { act, argument, collect, openSession, withConnection, type Session } from './common.js';

interface RotationLine {
  type: string;
  project_id?: string;
  region?: string;
  done?: number;
  total?: number;
  key_id?: string;
  generation?: number;
  rewrapped?: number;
}

type Json = Record<string, unknown>;

interface RewrapProgress {
  key_id: string;
  current_version: number;
  data_keys_total: number;
  data_keys_rewrapped: number;
  complete: boolean;
}

type Caller = Pick<Session, 'client' | 'call'>;

const kmsBase = (session: Caller): string => `/key-manager/v1alpha1/regions/${encodeURIComponent(session.client.region)}/keys`;

const keyRow = (key: Json) => ({
  id: cell(key.id),
  name: cell(key.name),
  state: cell(key.state),
  rotations: cell(key.rotation_count),
  protected: cell(key.protected),
  project: cell(key.project_id),
});

/** Polls the re-wrap after a rotation, drawing progress on stderr, until every data key is under the new version. */
const followRewrap = async (session: Caller, keyId: string, timeoutSeconds: number): Promise<RewrapProgress> => {
  const progress = createProgress(`re-wrapping the data keys of ${keyId}`);
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const state = await session.call<RewrapProgress>('GET', `${kmsBase(session)}/${keyId}/rewrap`);
    if (!state) {
      throw new CliError('the server answered no progress', EXIT.failure);
    }
    progress.update(state.data_keys_rewrapped, state.data_keys_total);
    if (state.complete) {
      progress.finish();
      return state;
    }
    if (Date.now() > deadline) {
      progress.finish();
      throw new CliError(`the re-wrap of ${keyId} is not finished after ${timeoutSeconds} s (${state.data_keys_rewrapped}/${state.data_keys_total}); it goes on in the background`, EXIT.failure);
    }
    await sleep(200);
  }
};

const readStdin = async (): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  }
  return Buffer.concat(chunks);
};

/** Every project key-encryption key rotated at once, its data keys re-wrapped online, with progress streamed by the server. */
const rotateProjectKeys = async (options: { project?: string; region?: string; url?: string; secretKey?: string; output: string }): Promise<void> => {
  const client = createClient(options);
  const response = await client.request('POST', '/coffer/v1/keys/rotate', {
    ...(options.project ? { project_id: options.project } : {}),
    ...(options.region ? { region: options.region } : {}),
  });
  if (!response.ok || !response.body) {
    await failFrom(response);
    return;
  }
  const results: RotationLine[] = [];
  const lines = createInterface({ input: Readable.fromWeb(response.body as import('node:stream/web').ReadableStream) });
  let progress: ReturnType<typeof createProgress> | undefined;
  for await (const raw of lines) {
    const line = JSON.parse(raw) as RotationLine;
    if (line.type === 'progress') {
      progress ??= createProgress(`re-wrapping ${line.project_id ?? ''}/${line.region ?? ''}`);
      progress.update(line.done ?? 0, line.total ?? 0);
    } else if (line.type === 'rotated') {
      progress?.finish();
      progress = undefined;
      results.push(line);
    }
  }
  if (options.output === 'json') {
    console.log(JSON.stringify(results, null, 2));
    return;
  }
  for (const result of results) {
    console.log(`${result.project_id ?? ''} ${result.region ?? ''}: generation ${result.generation ?? 0}, ${result.rewrapped ?? 0} data keys re-wrapped`);
  }
  if (results.length === 0) {
    console.log('no keys to rotate');
  }
};

/** `coffer keys`: customer-managed keys (the Key Manager API), and rotation of the project keys. */
export const registerKeys = (program: Command): void => {
  const keys = program.command('keys').description('manage encryption keys: customer-managed keys and the project key-encryption keys');

  withConnection(keys.command('list').description('list customer-managed keys').option('--scheduled-for-deletion', 'only keys scheduled for deletion')).action(
    act(async (command) => {
      const session = openSession(command);
      const flags = command.opts<{ scheduledForDeletion?: boolean }>();
      const query = new URLSearchParams({ page_size: '100', ...(session.options.project ? { project_id: session.options.project } : {}), ...(flags.scheduledForDeletion ? { scheduled_for_deletion: 'true' } : {}) });
      const listed = await session.call('GET', `${kmsBase(session)}?${query.toString()}`);
      printRows(session.format, listed, ((listed?.keys ?? []) as Json[]).map(keyRow));
    }),
  );

  withConnection(
    keys
      .command('create')
      .description('create an AES-256-GCM key')
      .option('--name <name>')
      .option('--description <text>')
      .option('--tag <tag>', 'a tag (repeatable)', collect)
      .option('--rotation-period <duration>', 'rotate automatically, e.g. 720h')
      .option('--unprotected', 'allow deletion without unprotecting first')
      .option('--external', 'the key material will be imported'),
  ).action(
    act(async (command) => {
      const session = openSession(command);
      const flags = command.opts<{ name?: string; description?: string; tag?: string[]; rotationPeriod?: string; unprotected?: boolean; external?: boolean }>();
      const created = await session.call('POST', kmsBase(session), {
        ...(session.options.project ? { project_id: session.options.project } : {}),
        name: flags.name,
        description: flags.description,
        tags: flags.tag,
        usage: { symmetric_encryption: 'aes_256_gcm' },
        ...(flags.rotationPeriod ? { rotation_policy: { rotation_period: flags.rotationPeriod } } : {}),
        unprotected: flags.unprotected === true,
        origin: flags.external ? 'external' : 'scaleway_kms',
      });
      printObject(session.format, created ?? {});
    }),
  );

  withConnection(keys.command('get').description('show a key').argument('<key-id>')).action(
    act(async (command) => {
      const session = openSession(command);
      printObject(session.format, (await session.call('GET', `${kmsBase(session)}/${encodeURIComponent(argument(command, 0))}`)) ?? {});
    }),
  );

  for (const [verb, description] of [
    ['enable', 'make a disabled key usable again, and its secrets readable'],
    ['disable', 'make a key, and the data of every secret under it, unusable until enabled'],
    ['protect', 'refuse deletion of the key'],
    ['unprotect', 'allow deletion of the key'],
    ['restore', 'cancel a scheduled deletion'],
  ] as const) {
    withConnection(keys.command(verb).description(description).argument('<key-id>')).action(
      act(async (command) => {
        const session = openSession(command);
        const key = await session.call('POST', `${kmsBase(session)}/${encodeURIComponent(argument(command, 0))}/${verb}`, {});
        printRows(session.format, key, [keyRow(key ?? {})]);
      }),
    );
  }

  withConnection(
    keys.command('delete').description('schedule a key for deletion').argument('<key-id>').option('--force', 'even if secrets depend on it: their data becomes unreadable, then is destroyed'),
  ).action(
    act(async (command) => {
      const session = openSession(command);
      const force = command.opts<{ force?: boolean }>().force === true;
      await session.call('DELETE', `${kmsBase(session)}/${encodeURIComponent(argument(command, 0))}${force ? '?force=true' : ''}`);
      console.error(`key ${argument(command, 0)} is scheduled for deletion; \`coffer keys restore\` undoes it until the purge`);
    }),
  );

  withConnection(
    keys.command('progress').description('show how far the re-wrap after a rotation has got').argument('<key-id>').option('--wait', 'wait until it is complete').option('--timeout <seconds>', 'with --wait', '600'),
  ).action(
    act(async (command) => {
      const session = openSession(command);
      const flags = command.opts<{ wait?: boolean; timeout: string }>();
      const keyId = encodeURIComponent(argument(command, 0));
      const state = flags.wait ? await followRewrap(session, keyId, Number(flags.timeout)) : await session.call('GET', `${kmsBase(session)}/${keyId}/rewrap`);
      printObject(session.format, { ...state });
    }),
  );

  withConnection(keys.command('encrypt').description('encrypt standard input; prints the ciphertext in base64').argument('<key-id>').option('--associated-data <text>')).action(
    act(async (command) => {
      const session = openSession(command);
      const associated = command.opts<{ associatedData?: string }>().associatedData;
      const encrypted = await session.call('POST', `${kmsBase(session)}/${encodeURIComponent(argument(command, 0))}/encrypt`, {
        plaintext: (await readStdin()).toString('base64'),
        ...(associated === undefined ? {} : { associated_data: Buffer.from(associated).toString('base64') }),
      });
      console.log(cell(encrypted?.ciphertext));
    }),
  );

  withConnection(keys.command('decrypt').description('decrypt a base64 ciphertext from standard input; writes the plaintext').argument('<key-id>').option('--associated-data <text>')).action(
    act(async (command) => {
      const session = openSession(command);
      const associated = command.opts<{ associatedData?: string }>().associatedData;
      const decrypted = await session.call('POST', `${kmsBase(session)}/${encodeURIComponent(argument(command, 0))}/decrypt`, {
        ciphertext: (await readStdin()).toString('utf8').trim(),
        ...(associated === undefined ? {} : { associated_data: Buffer.from(associated).toString('base64') }),
      });
      process.stdout.write(Buffer.from(cell(decrypted?.plaintext), 'base64'));
    }),
  );

  keys
    .command('rotate')
    .description('rotate a customer-managed key (and follow the re-wrap of its secrets), or without a key id every project key-encryption key')
    .argument('[key-id]')
    .option('--project <id>', 'project keys: only this project')
    .option('--region <region>', 'only this region')
    .option('--url <url>', 'server URL [env COFFER_ADDR or SCW_API_URL]')
    .option('--secret-key <key>', 'API secret key [env COFFER_SECRET_KEY or SCW_SECRET_KEY]')
    .option('--no-wait', 'customer-managed key: do not wait for the re-wrap')
    .option('--output <format>', 'text or json', 'text')
    .action(
      act(async (command) => {
        const options = command.opts<{ project?: string; region?: string; url?: string; secretKey?: string; output: string; wait: boolean }>();
        const keyId = command.processedArgs[0] as unknown;
        if (typeof keyId !== 'string') {
          await rotateProjectKeys(options);
          return;
        }
        const client = createClient(options);
        const session: Caller = {
          client,
          async call<T>(method: string, path: string, body?: unknown): Promise<T | null> {
            const response = await client.request(method, path, body);
            if (!response.ok) {
              await failFrom(response);
            }
            return response.status === 204 ? null : ((await response.json()) as T);
          },
        };
        const rotated = await session.call<Json>('POST', `${kmsBase(session)}/${encodeURIComponent(keyId)}/rotate`, {});
        const state = options.wait ? await followRewrap(session, encodeURIComponent(keyId), 600) : null;
        if (options.output === 'json') {
          console.log(JSON.stringify({ key: rotated, rewrap: state }, null, 2));
          return;
        }
        console.log(`${keyId}: rotation ${cell(rotated?.rotation_count)}${state ? `, ${state.data_keys_rewrapped}/${state.data_keys_total} data keys under the new version` : ''}`);
      }),
    );
};
