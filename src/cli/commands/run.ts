import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CliError, EXIT } from '../errors.js';
import { looksLikeReference, Resolver } from '../resolve/resolver.js';
import { exitLike, runChild } from '../run/child.js';
import { parseEnvFile } from '../run/env-file.js';
import { DEFAULT_MIN_LENGTH, maskPatterns } from '../run/masker.js';
import { collect, reportError } from './common.js';

interface RunOptions {
  envFile?: string[];
  masking: boolean;
  maskMinLength: string;
  profile?: string;
}

/** The child's environment: ours, then each env file in order (later files win). */
const assembleEnv = async (files: string[]): Promise<Record<string, string>> => {
  const env: Record<string, string> = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new CliError(`cannot read env file ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, EXIT.usage);
    }
    Object.assign(env, parseEnvFile(text, file));
  }
  return env;
};

/**
 * Resolves every variable whose whole value is a reference, all at once. If any
 * fails, every failure is reported (variable and reference, never a value) and the
 * command is not started.
 */
const resolveEnv = async (env: Record<string, string>, profile: string | undefined): Promise<{ env: Record<string, string>; values: string[] }> => {
  const resolver = new Resolver({ profile });
  const names = Object.keys(env).filter((name) => looksLikeReference(env[name] ?? ''));
  const results = await Promise.allSettled(names.map((name) => resolver.resolveText(env[name] ?? '')));
  const failures = results.flatMap((result, index) => (result.status === 'rejected' ? [{ name: names[index] ?? '', error: result.reason as unknown }] : []));
  if (failures.length > 0) {
    for (const { name, error } of failures.slice(0, -1)) {
      console.error(`coffer: ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const last = failures.at(-1);
    const message = last?.error instanceof Error ? last.error.message : String(last?.error);
    const code = last?.error instanceof CliError ? last.error.exitCode : EXIT.failure;
    throw new CliError(`${last?.name ?? ''}: ${message}\nthe command was not started`, code);
  }
  const resolved = { ...env };
  const values: string[] = [];
  results.forEach((result, index) => {
    const name = names[index];
    if (result.status === 'fulfilled' && name !== undefined) {
      resolved[name] = result.value;
      values.push(result.value);
    }
  });
  return { env: resolved, values };
};

/** `coffer run [--env-file F] -- cmd args…` */
export const registerRun = (program: Command): void => {
  program
    .command('run')
    .description('run a command with the references in its environment resolved; secrets in its output are concealed')
    .argument('<command...>', 'the command and its arguments, after --')
    .option('--env-file <file>', 'read variables from a .env file (repeatable; later files win)', collect)
    .option('--no-masking', 'do not conceal resolved values in the output [env COFFER_NO_MASKING=1]')
    .option('--mask-min-length <bytes>', 'conceal only values at least this long', String(DEFAULT_MIN_LENGTH))
    .option('--profile <name>', 'profile for coffer:// references [env COFFER_PROFILE]')
    .passThroughOptions()
    .action(async (argv: string[], options: RunOptions) => {
      try {
        const minLength = Number(options.maskMinLength);
        if (!Number.isInteger(minLength) || minLength < 1) {
          throw new CliError('--mask-min-length must be a positive integer', EXIT.usage);
        }
        const [command, ...args] = argv;
        if (!command) {
          throw new CliError('give the command to run after --', EXIT.usage);
        }
        const { env, values } = await resolveEnv(await assembleEnv(options.envFile ?? []), options.profile);
        const masking = options.masking && !['1', 'true'].includes(process.env.COFFER_NO_MASKING ?? '');
        const { patterns, skipped } = maskPatterns(values, minLength);
        if (masking && skipped > 0) {
          console.error(`coffer: ${skipped} resolved value(s) shorter than ${minLength} bytes will not be concealed`);
        }
        exitLike(await runChild({ command, args, env, mask: masking ? patterns : undefined }));
      } catch (error) {
        reportError(error);
      }
    });
};
