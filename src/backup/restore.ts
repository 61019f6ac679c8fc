import { ArchiveError, openArchive, type ArchiveOpenKey } from '../shared/backup/archive.js';
import { BackupFormatError, linesOf, readBackupStream, type BackupHeader } from '../shared/backup/backup-stream.js';
import { RecipientKeyError } from '../shared/backup/recipient-keys.js';
import { AppError } from '../shared/errors.js';
import type { StorageOptions } from '../storage/index.js';
import { openRestoreTarget } from '../storage/restore-target.js';

/** A restore refused or failed; its message is for the operator and holds no row content. */
export class RestoreError extends Error {}

export type Progress = (phase: 'verifying' | 'restoring', done: number, total: number) => void;

const totalRows = (header: BackupHeader): number => header.tables.reduce((sum, table) => sum + table.rows, 0);

const asRestoreError = (error: unknown): unknown =>
  error instanceof ArchiveError || error instanceof BackupFormatError || error instanceof RecipientKeyError || error instanceof AppError ? new RestoreError(error.message) : error;

/** Reads the whole archive, checking every chunk and the stream's trailer; returns its header. */
export const verifyArchive = async (file: string, key: ArchiveOpenKey, progress?: Progress): Promise<BackupHeader> => {
  let header: BackupHeader | undefined;
  let done = 0;
  try {
    for await (const batch of readBackupStream(linesOf(openArchive(file, key)), (found) => (header = found))) {
      done += batch.rows.length;
      progress?.('verifying', done, header ? totalRows(header) : done);
    }
  } catch (error) {
    throw asRestoreError(error);
  }
  if (header === undefined) {
    throw new RestoreError('the archive holds no backup header');
  }
  return header;
};

/**
 * Rebuilds a store from an archive. The archive is verified whole before the target is
 * touched, and the rows are then written in one transaction per database (re-verified as
 * they are read): a damaged archive, a wrong key or a non-empty target leaves nothing written.
 */
export const restoreArchive = async (options: { file: string; key: ArchiveOpenKey; target: StorageOptions; progress?: Progress }): Promise<{ header: BackupHeader; rows: number }> => {
  const header = await verifyArchive(options.file, options.key, options.progress);
  const target = openRestoreTarget(options.target);
  try {
    await target.prepare(header);
    const total = totalRows(header);
    const rows = await target.write(readBackupStream(linesOf(openArchive(options.file, options.key))), (done) => options.progress?.('restoring', done, total));
    await target.finish();
    return { header, rows };
  } catch (error) {
    throw asRestoreError(error);
  } finally {
    await target.close();
  }
};
