import type { Command } from 'commander';
import { createClient, failFrom, type CofferClient } from '../client.js';
import { CliError, EXIT } from '../errors.js';
import { parseOutputFormat, type OutputFormat } from '../output.js';

export interface ConnectionOptions {
  profile?: string;
  url?: string;
  secretKey?: string;
  region?: string;
  project?: string;
  output: string;
}

/** The flags every command that talks to a Coffer server takes. */
export const withConnection = (command: Command): Command =>
  command
    .option('--profile <name>', 'profile from the config file [env COFFER_PROFILE]')
    .option('--url <url>', 'server URL [env COFFER_ADDR or SCW_API_URL]')
    .option('--secret-key <key>', 'API secret key [env COFFER_SECRET_KEY or SCW_SECRET_KEY]; prefer the env or a profile, argv is visible to other users')
    .option('--region <region>', 'region [env COFFER_REGION or SCW_DEFAULT_REGION, default fr-par]')
    .option('--project <id>', 'project id [env COFFER_PROJECT_ID or SCW_DEFAULT_PROJECT_ID]')
    .option('-o, --output <format>', 'table, json or yaml', 'table');

/** Prints a CliError in one line and sets its exit code; anything else is a bug and keeps its stack. */
export const reportError = (error: unknown): void => {
  if (error instanceof CliError) {
    console.error(`coffer: ${error.message}`);
    process.exitCode = error.exitCode;
    return;
  }
  throw error;
};

/** Wraps an action: positional arguments and options come from the command itself. */
export const act =
  (work: (command: Command) => Promise<void>) =>
  async (...args: unknown[]): Promise<void> => {
    const command = args.at(-1) as Command;
    try {
      await work(command);
    } catch (error) {
      reportError(error);
    }
  };

export interface Session {
  client: CofferClient;
  format: OutputFormat;
  base: string;
  options: ConnectionOptions;
  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T | null>;
}

/** A connected client for the Scaleway API of the chosen region. */
export const openSession = (command: Command): Session => {
  const options = command.opts<ConnectionOptions>();
  const format = parseOutputFormat(options.output);
  const client = createClient(options);
  const base = `/secret-manager/v1beta1/regions/${encodeURIComponent(client.region)}`;
  return {
    client,
    format,
    base,
    options,
    async call<T>(method: string, path: string, body?: unknown): Promise<T | null> {
      const response = await client.request(method, path, body);
      if (!response.ok) {
        await failFrom(response);
      }
      return response.status === 204 ? null : ((await response.json()) as T);
    },
  };
};

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export const argument = (command: Command, index: number): string => {
  const value = command.processedArgs[index] as unknown;
  if (typeof value !== 'string') {
    throw new CliError(`missing argument ${index + 1}`, EXIT.usage);
  }
  return value;
};
