import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import type { Command } from 'commander';
import { RestoreError, restoreArchive, verifyArchive } from '../../backup/restore.js';
import { createArchiveFile } from '../../shared/backup/archive-file.js';
import { BackupFormatError, linesOf, readBackupStream, type BackupHeader } from '../../shared/backup/backup-stream.js';
import { ConfigError, loadConfig } from '../../config/config.js';
import { createClient, failFrom } from '../client.js';
import { CliError, EXIT } from '../errors.js';
import { createProgress } from '../progress.js';
import { act, withConnection } from './common.js';
import { openKeyOf, PASSPHRASE_ENV, sealKeyOf, type KeyFlags } from './backup-keys.js';

const rowsOf = (header: BackupHeader): number => header.tables.reduce((sum, table) => sum + table.rows, 0);

/** Streams the server's backup into an encrypted archive, checking the stream's trailer before keeping the file. */
const backup = async (command: Command): Promise<void> => {
  const options = command.opts<KeyFlags & { out: string; url?: string }>();
  const key = sealKeyOf(options);
  const client = createClient(command.opts());
  const response = await client.request('GET', '/coffer/v1/backup');
  if (!response.ok) {
    await failFrom(response);
  }
  if (!response.body) {
    throw new CliError('the server sent an empty backup', EXIT.failure);
  }
  const archive = await createArchiveFile(options.out, key).catch((error: unknown) => {
    throw new CliError(`cannot write ${options.out}.partial: ${error instanceof Error ? error.message : String(error)}`, EXIT.config);
  });
  const progress = createProgress('backing up');
  let total = 0;
  let done = 0;
  async function* recorded(lines: AsyncIterable<string>): AsyncGenerator<string> {
    for await (const line of lines) {
      await archive.write(`${line}\n`);
      yield line;
    }
  }
  try {
    const body = Readable.fromWeb(response.body as ReadableStream<Uint8Array>);
    for await (const batch of readBackupStream(recorded(linesOf(body)), (header) => (total = rowsOf(header)))) {
      done += batch.rows.length;
      progress.update(done, total);
    }
    progress.update(done, total);
    progress.finish();
    const bytes = await archive.finish();
    console.log(`backup written to ${options.out}: ${done} rows, ${bytes} bytes, ${key.kind === 'passphrase' ? 'sealed with a passphrase' : `sealed to ${key.publicKey}`}`);
  } catch (error) {
    await archive.abort();
    if (error instanceof BackupFormatError) {
      throw new CliError(`the backup stream is incomplete or damaged, nothing kept: ${error.message}`, EXIT.failure);
    }
    if (error instanceof TypeError) {
      throw new CliError(`the connection to the server broke during the backup, nothing kept: ${error.message}`, EXIT.unreachable);
    }
    throw error;
  }
};

/** Offline: verifies the archive whole, then writes it into an empty store in one transaction. */
const restore = async (command: Command): Promise<void> => {
  const options = command.opts<KeyFlags & { dataDir?: string; storage?: string; postgresUrl?: string; verifyOnly?: boolean }>();
  const file = command.args[0] ?? '';
  const key = openKeyOf(options);
  const bars = { verifying: createProgress('verifying'), restoring: createProgress('restoring') };
  const progress = (phase: keyof typeof bars, done: number, total: number) => {
    if (done % 500 === 0 || done === total) {
      bars[phase].update(done, total);
    }
  };
  try {
    if (options.verifyOnly) {
      const header = await verifyArchive(file, key, progress);
      bars.verifying.finish();
      console.log(`${file} is intact: ${rowsOf(header)} rows in ${header.tables.length} tables, schema version ${header.schema_version}, taken from ${header.engine} at ${header.created_at}`);
      return;
    }
    let config;
    try {
      config = loadConfig(process.env, { dataDir: options.dataDir, storage: options.storage, postgresUrl: options.postgresUrl });
    } catch (error) {
      throw error instanceof ConfigError ? new CliError(error.message, EXIT.config) : error;
    }
    const target = config.storage === 'postgres' ? { kind: 'postgres' as const, url: config.postgresUrl ?? '' } : { kind: 'sqlite' as const, dataDir: config.dataDir };
    const result = await restoreArchive({ file, key, target, progress });
    bars.restoring.finish();
    console.log(
      `restored ${result.rows} rows (${result.header.tables.length} tables, schema version ${result.header.schema_version}, from ${result.header.engine}) into ${target.kind === 'sqlite' ? target.dataDir : 'PostgreSQL'}; start the server with the same root key`,
    );
  } catch (error) {
    if (error instanceof RestoreError) {
      throw new CliError(`restore refused, nothing written: ${error.message}`, EXIT.failure);
    }
    throw error;
  }
};

const withKeys = (command: Command, sealing: boolean): Command =>
  command
    .option('--passphrase-file <file>', `file whose first line is the passphrase [env ${PASSPHRASE_ENV}]`)
    .option(sealing ? '--recipient <key>' : '--identity <file>', sealing ? 'seal to this X25519 public key (or a file holding it) instead of a passphrase' : 'secret key file of the recipient the archive is sealed to');

export const registerBackup = (program: Command): void => {
  withKeys(
    withConnection(program.command('backup').description('write an encrypted, integrity-checked archive of the whole store while the server runs (admin key)')),
    true,
  )
    .requiredOption('--out <file>', 'archive to write (mode 0600; written as <file>.partial until complete)')
    .action(act(backup));

  withKeys(program.command('restore').description('rebuild an EMPTY store (SQLite or PostgreSQL) from a backup archive; offline, with the server stopped'), false)
    .argument('<archive>', 'the backup archive')
    .option('--data-dir <dir>', 'SQLite data directory to restore into [env COFFER_DATA_DIR]')
    .option('--storage <engine>', 'sqlite or postgres [env COFFER_STORAGE]')
    .option('--postgres-url <url>', 'PostgreSQL URL when --storage postgres [env COFFER_POSTGRES_URL]')
    .option('--verify-only', 'check the archive (key, every chunk, the trailer) and write nothing')
    .action(act(restore));
};
