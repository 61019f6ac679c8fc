import { Command, CommanderError } from 'commander';
import { registerAudit } from './commands/audit.js';
import { registerBackup } from './commands/backup.js';
import { registerCompletion } from './commands/completion.js';
import { registerConfig } from './commands/config.js';
import { registerEvents } from './commands/events.js';
import { registerGet } from './commands/get.js';
import { registerHsm } from './commands/hsm.js';
import { registerIam } from './commands/iam.js';
import { registerInject } from './commands/inject.js';
import { registerKeys } from './commands/keys.js';
import { registerRun } from './commands/run.js';
import { registerSecret } from './commands/secret.js';
import { registerTransfer } from './commands/transfer.js';
import { registerServe } from './commands/serve.js';
import { registerVersion } from './commands/version.js';
import { CliError, EXIT } from './errors.js';

const program = new Command();
program
  .name('coffer')
  .description('Coffer: a self-hosted secret manager, and a resolver of secret references (coffer://, scw://, vault://, aws://, ovh://)')
  .version('0.1.0')
  // Set before the commands are added, so each inherits it: usage errors exit 2, not 1.
  .exitOverride()
  .enablePositionalOptions();
registerServe(program);
registerHsm(program);
registerSecret(program);
registerVersion(program);
registerGet(program);
registerRun(program);
registerInject(program);
registerKeys(program);
registerIam(program);
registerAudit(program);
registerEvents(program);
registerBackup(program);
registerTransfer(program);
registerConfig(program);
registerCompletion(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    // commander has printed its message already; help and --version are successes.
    process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
  }
  if (error instanceof CliError) {
    console.error(`coffer: ${error.message}`);
    process.exit(error.exitCode);
  }
  console.error(`coffer: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(EXIT.failure);
});
