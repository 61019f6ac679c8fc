import type { Command } from 'commander';
import { CliError, createClient, failFrom, type ClientOptions } from '../client.js';

export type Json = Record<string, unknown>;
export interface CommonOptions extends ClientOptions {
  output: string;
}

export const text = (value: unknown): string => (value === undefined || value === null ? '' : Array.isArray(value) ? value.join(',') : String(value));

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Runs one request, fails with the server's words, and returns its JSON (null for 204). */
export const call = async (options: CommonOptions, method: string, path: string, body?: unknown): Promise<Json | null> => {
  const response = await createClient(options).request(method, path, body);
  if (!response.ok) {
    await failFrom(response);
  }
  return response.status === 204 ? null : ((await response.json()) as Json);
};

export const withConnection = (command: Command): Command =>
  command
    .option('--url <url>', 'server URL [env COFFER_ADDR or SCW_API_URL]')
    .option('--secret-key <key>', 'API secret key [env COFFER_SECRET_KEY or SCW_SECRET_KEY]')
    .option('--output <format>', 'table or json', 'table');

export const run = (work: (options: CommonOptions, ...args: string[]) => Promise<void>) => async (...args: unknown[]) => {
  const command = args.at(-1) as Command;
  const positional = args.slice(0, -2).filter((arg): arg is string => typeof arg === 'string');
  try {
    await work(command.opts<CommonOptions>(), ...positional);
  } catch (error) {
    if (error instanceof CliError) {
      console.error(`coffer: ${error.message}`);
      process.exitCode = error.exitCode;
      return;
    }
    throw error;
  }
};

export const IAM = '/iam/v1alpha1';
