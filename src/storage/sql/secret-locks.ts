import type { Secret, SecretVersion } from '../../core/secrets/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import {
  secretColumns,
  secretFromRow,
  VERSION_ASSIGNMENTS,
  versionColumns,
  versionFromRow,
  versionUpdateValues,
  type SecretRow,
  type VersionRow,
} from './secret-rows.js';
import type { SqlExecutor } from './sql-driver.js';

// Row reads inside write transactions. Every writer of a secret or its versions locks
// the secret row first, so they queue in one order and never deadlock; versions are
// locked too because the purge job erases payloads without the secret's lock.

const LOCK_SECRET = `SELECT ${secretColumns()} FROM secrets WHERE id = ? FOR UPDATE`;
const LOCK_SECRET_IN_REGION = `SELECT ${secretColumns()} FROM secrets WHERE id = ? AND region = ? FOR UPDATE`;
const LOCK_VERSIONS = `SELECT ${versionColumns()} FROM secret_versions WHERE secret_id = ? ORDER BY revision FOR UPDATE`;
const LOCK_VERSION = `SELECT ${versionColumns()} FROM secret_versions WHERE secret_id = ? AND revision = ? FOR UPDATE`;

/** Locks a secret for the rest of the transaction; `region` null matches any. */
export const lockSecret = async (tx: SqlExecutor, region: string | null, id: string): Promise<Secret> => {
  const row = await (region === null ? tx.get<SecretRow>(LOCK_SECRET, [id]) : tx.get<SecretRow>(LOCK_SECRET_IN_REGION, [id, region]));
  if (!row) {
    throw notFound('secret', id);
  }
  return secretFromRow(row);
};

export const lockVersions = async (tx: SqlExecutor, secretId: string): Promise<SecretVersion[]> =>
  (await tx.all<VersionRow>(LOCK_VERSIONS, [secretId])).map(versionFromRow);

export const lockVersion = async (tx: SqlExecutor, secretId: string, revision: number): Promise<SecretVersion> => {
  const row = await tx.get<VersionRow>(LOCK_VERSION, [secretId, revision]);
  if (!row) {
    throw notFound('secret_version', String(revision));
  }
  return versionFromRow(row);
};

/**
 * Writes back a version a callback returned. It must be one of the locked secret's:
 * writing another secret's version here would bypass that secret's lock.
 */
export const writeVersion = async (tx: SqlExecutor, secretId: string, version: SecretVersion): Promise<void> => {
  if (version.secretId !== secretId) {
    throw new AppError('internal', 'a version was written back under another secret');
  }
  const { changes } = await tx.run(`UPDATE secret_versions SET ${VERSION_ASSIGNMENTS} WHERE secret_id = ? AND revision = ?`, versionUpdateValues(version));
  if (changes !== 1) {
    throw notFound('secret_version', String(version.revision));
  }
  // A deleted version has no data: erasing in the same transaction keeps that true even if we crash.
  if (version.status === 'deleted') {
    await tx.run('UPDATE secret_versions SET ciphertext = NULL, wrapped_dek = NULL WHERE secret_id = ? AND revision = ?', [secretId, version.revision]);
  }
};
