import { Command } from 'commander';
import { registerIam } from './commands/iam.js';
import { registerKeys } from './commands/keys.js';
import { registerServe } from './commands/serve.js';

const program = new Command();
program
  .name('coffer')
  .description('Coffer: a self-hosted secret manager speaking the Scaleway Secret Manager API')
  .version('0.1.0');
registerServe(program);
registerKeys(program);
registerIam(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`coffer: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
