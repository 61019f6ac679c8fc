import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { CliError, EXIT } from '../errors.js';
import { referenceFromHandle, ReferenceSyntaxError, type Scheme, type SecretReference } from '../references/index.js';
import { parseOrFail, ResolutionError, Resolver } from '../resolve/resolver.js';
import { reportError } from './common.js';

interface GetOptions {
  newline: boolean;
  instance?: string;
  profile?: string;
}

/** A Plakar handle (`secret/app#password`) read with the type of the instance it is given with. */
const fromHandle = (handle: string, instance: string): SecretReference => {
  const configured = loadConfig().instances[instance];
  if (!configured) {
    throw new CliError(`unknown instance "${instance}"`, EXIT.config);
  }
  const scheme: Scheme = configured.type;
  try {
    return referenceFromHandle(handle, scheme, instance);
  } catch (error) {
    if (error instanceof ReferenceSyntaxError) {
      throw new ResolutionError('syntax', handle, `syntax error at column ${error.column}: ${error.reason}\n${error.pointer()}`);
    }
    throw error;
  }
};

/** `coffer get <reference>`: prints one value. */
export const registerGet = (program: Command): void => {
  program
    .command('get')
    .description('print the value a reference stands for')
    .argument('<reference>', 'e.g. vault://secret/app#password, or a Plakar handle with --instance')
    .option('-n, --no-newline', 'do not print a newline after the value')
    .option('--instance <name>', 'read a bare Plakar handle (secret/app#field, <secret id>#field) against this configured instance')
    .option('--profile <name>', 'profile for coffer:// references [env COFFER_PROFILE]')
    .action(async (text: string, options: GetOptions) => {
      try {
        const reference = options.instance ? fromHandle(text, options.instance) : parseOrFail(text);
        const value = await new Resolver({ profile: options.profile }).resolve(reference);
        process.stdout.write(options.newline ? `${value}\n` : value);
      } catch (error) {
        reportError(error);
      }
    });
};
