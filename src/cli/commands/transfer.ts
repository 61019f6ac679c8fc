import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import type { Command } from 'commander';
import { ExportFileError, openExport } from '../../shared/backup/export-format.js';
import { generateRecipientKeyPair, RecipientKeyError } from '../../shared/backup/recipient-keys.js';
import { createClient, failFrom } from '../client.js';
import { CliError, EXIT } from '../errors.js';
import { act, collect, openSession, withConnection } from './common.js';
import { identityOf, recipientOf } from './backup-keys.js';
import { importSecrets } from './transfer-import.js';

/** Writes the server's export (payloads already sealed to the recipient) to a file, kept only when its trailer arrived. */
const exportSecrets = async (command: Command): Promise<void> => {
  const options = command.opts<{ recipient: string; out: string; pathPrefix?: string; tag?: string[]; project?: string; region?: string }>();
  const client = createClient(command.opts());
  const query = new URLSearchParams({ recipient: recipientOf(options.recipient), region: client.region });
  if (client.projectId) {
    query.set('project_id', client.projectId);
  }
  if (options.pathPrefix) {
    query.set('path_prefix', options.pathPrefix);
  }
  for (const tag of options.tag ?? []) {
    query.append('tag', tag);
  }
  const response = await client.request('GET', `/coffer/v1/export?${query.toString()}`);
  if (!response.ok) {
    await failFrom(response);
  }
  const partial = `${options.out}.partial`;
  const handle = await open(partial, 'w', 0o600);
  try {
    const text = await response.text();
    await handle.write(text);
    await handle.sync();
    await handle.close();
    const trailer = JSON.parse(text.trimEnd().split('\n').at(-1) ?? '') as { kind?: string; secrets?: number; versions?: number };
    if (trailer.kind !== 'trailer') {
      throw new CliError('the export stream ended early, nothing kept', EXIT.failure);
    }
    await rename(partial, options.out);
    console.log(`exported ${String(trailer.secrets)} secrets (${String(trailer.versions)} versions) to ${options.out}, sealed to ${query.get('recipient') ?? ''}`);
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(partial, { force: true });
    throw error instanceof SyntaxError ? new CliError('the export stream ended early, nothing kept', EXIT.failure) : error;
  }
};

const keygen = async (command: Command): Promise<void> => {
  const { out } = command.opts<{ out: string }>();
  const pair = generateRecipientKeyPair();
  try {
    writeFileSync(out, `# Coffer recipient key: keep this file secret; give the public key to exporters.\n# public key: ${pair.publicKey}\n${pair.secretKey}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(out, 0o600);
  } catch (error) {
    throw new CliError(`cannot write ${out} (it must not exist yet): ${error instanceof Error ? error.message : String(error)}`, EXIT.config);
  }
  console.log(pair.publicKey);
};

const importFile = async (command: Command): Promise<void> => {
  const file = command.args[0];
  const options = command.opts<{ identity?: string }>();
  if (file === undefined || !options.identity) {
    throw new CliError('usage: coffer import <export file> --identity <secret key file>  (or: coffer import keygen --out <file>)', EXIT.usage);
  }
  const secretKey = identityOf(options.identity);
  let opened;
  try {
    opened = openExport(readFileSync(file, 'utf8').split('\n'), secretKey);
  } catch (error) {
    if (error instanceof ExportFileError || error instanceof RecipientKeyError) {
      throw new CliError(`import refused, nothing written: ${error.message}`, EXIT.failure);
    }
    throw new CliError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, EXIT.config);
  }
  const report = await importSecrets(openSession(command), opened.secrets);
  console.log(`imported ${report.secrets} secrets (${report.versions} versions) from ${file}`);
};

export const registerTransfer = (program: Command): void => {
  withConnection(program.command('export').description('export selected secrets with all their versions, each payload sealed to a recipient key (needs secret access)'))
    .requiredOption('--recipient <key>', "the importer's public key (coffer-x25519-public:…) or a file holding it")
    .requiredOption('--out <file>', 'file to write (mode 0600)')
    .option('--path-prefix <path>', 'only secrets under this folder, at any depth')
    .option('--tag <tag>', 'only secrets with this tag (repeat: all of them)', collect)
    .action(act(exportSecrets));

  const importer = withConnection(program.command('import').description('import an export file through the API: decrypted here, never on the exporting side'))
    .argument('[file]', 'the export file')
    .option('--identity <file>', 'the secret key file `coffer import keygen` wrote')
    .action(act(importFile));
  importer
    .command('keygen')
    .description('make an X25519 key pair for receiving exports (and backups): prints the public key, writes the secret key file')
    .requiredOption('--out <file>', 'secret key file to create (mode 0600)')
    .action(act(keygen));
};
