import type { Command } from 'commander';
import { resolveConnection } from '../config/connection.js';
import { configPath, loadConfig } from '../config/load.js';
import { printObject, printRows } from '../output.js';
import { act } from './common.js';

/** `coffer config`: where settings come from, without ever reading a credential. */
export const registerConfig = (program: Command): void => {
  const config = program.command('config').description('show the configuration in effect');
  config
    .command('show')
    .description('the connection in effect: profile, server, access key, project, region, and where the secret key comes from')
    .option('--profile <name>', 'profile from the config file [env COFFER_PROFILE]')
    .option('-o, --output <format>', 'table, json or yaml', 'table')
    .action(
      act(async (command) => {
        const options = command.opts<{ profile?: string; output: string }>();
        const connection = resolveConnection({ profile: options.profile });
        printObject(options.output, {
          config_file: configPath(),
          profile: connection.profile ?? null,
          api_url: connection.apiUrl,
          access_key: connection.accessKey ?? null,
          project_id: connection.projectId ?? null,
          region: connection.region,
          secret_key_from: connection.secretKeyOrigin,
        });
      }),
    );
  config
    .command('profiles')
    .description('the profiles and provider instances of the config file')
    .option('-o, --output <format>', 'table, json or yaml', 'table')
    .action(
      act(async (command) => {
        const file = loadConfig();
        const rows = [
          ...Object.entries(file.profiles).map(([name, profile]) => ({ name, kind: 'profile', target: profile.api_url ?? '', default: String(name === (file.active_profile ?? 'default')) })),
          ...Object.entries(file.instances).map(([name, instance]) => ({
            name,
            kind: instance.type,
            target: instance.type === 'vault' ? instance.address : instance.type === 'aws' ? (instance.endpoint ?? instance.region ?? '') : instance.type === 'ovh' ? instance.endpoint : (instance.api_url ?? ''),
            default: String(file.defaults[instance.type] === name),
          })),
        ];
        printRows(command.opts<{ output: string }>().output, file, rows);
      }),
    );
};
