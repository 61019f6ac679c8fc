import type { Command } from 'commander';
import { CliError, EXIT } from '../errors.js';
import { cell, printObject, printRows } from '../output.js';
import { act, argument, openSession, withConnection, type Session } from './common.js';
import { secretIdOf } from './secret-id.js';

type Json = Record<string, unknown>;

interface GeneratorFlags {
  generator?: string;
  length?: string;
  key?: string;
  prefix?: string;
  encoding?: string;
  symbols?: boolean;
  lower?: boolean;
  upper?: boolean;
  digits?: boolean;
}

const addGeneratorFlags = (command: Command): Command =>
  command
    .option('--generator <kind>', 'password, random_bytes or api_key')
    .option('--length <n>', 'characters (password, api_key) or bytes (random_bytes); default 32')
    .option('--key <name>', 'the key a key_value secret gets the value in')
    .option('--prefix <text>', 'what an api_key starts with, e.g. ck_live_')
    .option('--encoding <encoding>', 'random_bytes as base64 (default), base64url or hex')
    .option('--symbols', 'passwords include symbols')
    .option('--no-lower', 'passwords without lower-case letters')
    .option('--no-upper', 'passwords without upper-case letters')
    .option('--no-digits', 'passwords without digits');

const generatorBody = (flags: GeneratorFlags): Json | undefined => {
  if (flags.generator === undefined) {
    return undefined;
  }
  const length = flags.length === undefined ? undefined : Number(flags.length);
  if (length !== undefined && !Number.isInteger(length)) {
    throw new CliError('--length must be a whole number', EXIT.usage);
  }
  const body: Json = { kind: flags.generator, length, key: flags.key, prefix: flags.prefix, encoding: flags.encoding };
  if (flags.generator === 'password') {
    Object.assign(body, { symbols: flags.symbols === true, lower: flags.lower !== false, upper: flags.upper !== false, digits: flags.digits !== false });
  }
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
};

const rotationPath = (session: Session, id: string, leaf: string): string =>
  `/coffer/v1/regions/${encodeURIComponent(session.client.region)}/secrets/${id}/${leaf}`;

/** The policy and its state as one FIELD/VALUE table; JSON and YAML get the server's answer as is. */
const printPolicy = (session: Session, answer: Json | null): void => {
  const policy = (answer?.policy ?? null) as Json | null;
  const state = (answer?.state ?? null) as Json | null;
  if (policy === null) {
    printRows(session.format, answer ?? {}, [{ field: 'policy', value: 'none' }]);
    return;
  }
  const failure = state?.last_failure as Json | null | undefined;
  const method = policy.method === 'webhook' ? policy.webhook : policy.generator;
  const fields: Json = {
    interval: policy.interval,
    next_rotation_at: policy.next_rotation_at,
    method: `${cell(policy.method)} ${cell(method)}`,
    disable_previous: policy.disable_previous,
    last_rotated_at: state?.last_rotated_at,
    last_revision: state?.last_revision,
    rotation_in_progress: state?.rotation_in_progress,
    attempts: state?.attempts,
    last_failure: failure ? `${cell(failure.at)} ${cell(failure.reason)}: ${cell(failure.message)} (${cell(failure.attempts)} attempts)` : null,
    ...(answer?.signing_secret ? { signing_secret: answer.signing_secret } : {}),
  };
  printRows(session.format, answer, Object.entries(fields).map(([field, value]) => ({ field, value: cell(value) })));
};

/** `coffer secret rotate` and `coffer secret rotation set|show|clear`: Coffer's rotation endpoints. */
export const registerSecretRotation = (secret: Command): void => {
  addGeneratorFlags(
    withConnection(
      secret
        .command('rotate')
        .description('rotate a secret now by its policy (or once by --generator when it has none); prints the new revision or why it failed')
        .argument('<secret>', 'id or /folder/name'),
    ),
  ).action(
    act(async (command) => {
      const session = openSession(command);
      const id = await secretIdOf(session, argument(command, 0));
      const generator = generatorBody(command.opts<GeneratorFlags>());
      const run = (await session.call<Json>('POST', rotationPath(session, id, 'rotate'), generator ? { generator } : {})) ?? {};
      printObject(session.format, run);
      if (run.outcome !== 'rotated') {
        const failure = (run.failure ?? {}) as Json;
        const retry = run.outcome === 'retrying' ? `; next attempt at ${cell(run.next_attempt_at)}` : '';
        throw new CliError(`rotation ${cell(run.outcome)}: ${cell(failure.reason)}: ${cell(failure.message)}${retry}`, EXIT.failure);
      }
    }),
  );

  const rotation = secret.command('rotation').description("a secret's rotation policy: set, show, clear");

  addGeneratorFlags(withConnection(rotation.command('set').description('set or replace the policy (a webhook signing secret is shown once)').argument('<secret>', 'id or /folder/name')))
    .requiredOption('--interval <duration>', 'e.g. 24h, 30d; at least 1h')
    .option('--webhook <url>', 'rotate by calling this URL (signed) instead of a generator')
    .option('--max-attempts <n>', 'webhook attempts per rotation, default 5')
    .option('--timeout <seconds>', 'webhook timeout, default 10')
    .option('--next-rotation-at <time>', 'RFC 3339; default one interval from now')
    .option('--disable-previous', 'disable the version that was latest when a rotation adds one')
    .option('--renew-signing-secret', 'make a new webhook signing secret')
    .action(
      act(async (command) => {
        const session = openSession(command);
        const flags = command.opts<GeneratorFlags & { interval: string; webhook?: string; maxAttempts?: string; timeout?: string; nextRotationAt?: string; disablePrevious?: boolean; renewSigningSecret?: boolean }>();
        const id = await secretIdOf(session, argument(command, 0));
        const webhook =
          flags.webhook === undefined
            ? undefined
            : {
                url: flags.webhook,
                ...(flags.maxAttempts === undefined ? {} : { max_attempts: Number(flags.maxAttempts) }),
                ...(flags.timeout === undefined ? {} : { timeout_seconds: Number(flags.timeout) }),
              };
        const body = {
          interval: flags.interval,
          generator: generatorBody(flags),
          webhook,
          next_rotation_at: flags.nextRotationAt,
          disable_previous: flags.disablePrevious,
          renew_signing_secret: flags.renewSigningSecret,
        };
        const answer = await session.call<Json>('PUT', rotationPath(session, id, 'rotation-policy'), Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)));
        printPolicy(session, answer);
        if (answer?.signing_secret) {
          console.error('coffer: the signing secret above is shown only this once; give it to the webhook receiver now');
        }
      }),
    );

  withConnection(rotation.command('show').description('the policy, the last rotation and the last failure').argument('<secret>', 'id or /folder/name')).action(
    act(async (command) => {
      const session = openSession(command);
      const id = await secretIdOf(session, argument(command, 0));
      printPolicy(session, await session.call<Json>('GET', rotationPath(session, id, 'rotation-policy')));
    }),
  );

  withConnection(rotation.command('clear').description('remove the policy; versions stay as they are').argument('<secret>', 'id or /folder/name')).action(
    act(async (command) => {
      const session = openSession(command);
      const id = await secretIdOf(session, argument(command, 0));
      await session.call('DELETE', rotationPath(session, id, 'rotation-policy'));
    }),
  );
};
