import type { RevisionSelector, Secret, SecretVersion, VersionPlan, VersionWithPayload } from '../../core/secrets/index.js';
import { AppError } from '../../shared/errors.js';
import { lockSecret, lockVersion, writeVersion } from './secret-locks.js';
import { joinedVersionByPathSql, joinedVersionSql, revisionSql, versionFromJoinedRow, type JoinedRow } from './secret-queries.js';
import { placeholders, secretFromRow, sealedFromRow, versionColumns, versionFromRow, versionValues, type VersionRow } from './secret-rows.js';
import { asBuffer, UniqueViolation, type SqlDialect, type SqlDriver } from './sql-driver.js';
import type { SecretChangeHook } from './event-append.js';

const INSERT_VERSION = `INSERT INTO secret_versions (${versionColumns()}, dek_id, kek_id, wrapped_dek, ciphertext) VALUES (${placeholders(18)})`;
const DISABLE_PREVIOUS =
  "UPDATE secret_versions SET status = 'disabled', updated_at = ? WHERE secret_id = ? AND revision = ? AND status = 'enabled'";

export const appendVersion = async (
  db: SqlDriver,
  onChange: SecretChangeHook,
  region: string,
  secretId: string,
  build: (secret: Secret, revision: number) => VersionPlan,
): Promise<{ secret: Secret; version: SecretVersion }> => {
  try {
    return await db.transaction(async (tx) => {
      // The lock makes the read of version_count and its increment one step, across processes.
      const secret = await lockSecret(tx, region, secretId);
      const revision = secret.versionCount + 1;
      const plan = build(secret, revision);
      const version: SecretVersion = { ...plan.version, secretId, revision };
      if (plan.disablePrevious && revision > 1) {
        await tx.run(DISABLE_PREVIOUS, [version.createdAt, secretId, revision - 1]);
      }
      const { sealed } = plan;
      await tx.run(INSERT_VERSION, [...versionValues(version), sealed.dekId, sealed.kekId, asBuffer(sealed.wrappedDek), asBuffer(sealed.ciphertext)]);
      if (plan.pruneBelow !== undefined) {
        await tx.run('DELETE FROM secret_versions WHERE secret_id = ? AND revision < ?', [secretId, plan.pruneBelow]);
      }
      const kvMetadata = plan.kvMetadata ?? secret.kvMetadata;
      const expiresAt = plan.expiresAt ?? secret.expiresAt;
      // secrets.updated_at stays: a new version is not a change of the secret's metadata.
      await tx.run('UPDATE secrets SET version_count = ?, kv_metadata = ?, expires_at = ? WHERE id = ?', [
        revision,
        kvMetadata === null ? null : JSON.stringify(kvMetadata),
        expiresAt,
        secretId,
      ]);
      const appended = { secret: { ...secret, versionCount: revision, kvMetadata, expiresAt }, version };
      await onChange(tx, { kind: 'version_appended', ...appended });
      return appended;
    });
  } catch (error) {
    // Under the lock a revision cannot be taken twice; if it was, the lock failed.
    throw error instanceof UniqueViolation ? new AppError('internal', 'a revision was reserved twice', {}, { cause: error }) : error;
  }
};

export const getVersion = async (db: SqlDriver, secretId: string, selector: RevisionSelector): Promise<SecretVersion | null> => {
  const { clause, params } = revisionSql(selector);
  const row = await db.get<VersionRow>(`SELECT ${versionColumns('v')} FROM secret_versions v WHERE v.secret_id = ? ${clause}`, [secretId, ...params]);
  return row ? versionFromRow(row) : null;
};

// Built once: equal SQL text is what the statement caches key on.
const JOINED_LATEST = joinedVersionSql(revisionSql('latest').clause);
const JOINED_LATEST_ENABLED = joinedVersionSql(revisionSql('latest_enabled').clause);
const JOINED_REVISION = joinedVersionSql(revisionSql(1).clause);

export const readVersionWithPayload = async (
  db: SqlDriver,
  region: string,
  secretId: string,
  selector: RevisionSelector,
): Promise<VersionWithPayload | null> => {
  const row =
    selector === 'latest'
      ? await db.get<JoinedRow>(JOINED_LATEST, [secretId, region])
      : selector === 'latest_enabled'
        ? await db.get<JoinedRow>(JOINED_LATEST_ENABLED, [secretId, region])
        : await db.get<JoinedRow>(JOINED_REVISION, [secretId, region, selector]);
  return row ? { secret: secretFromRow(row), version: versionFromJoinedRow(row), sealed: sealedFromRow(row) } : null;
};

const byPathStatements = (dialect: SqlDialect) => ({
  latest: joinedVersionByPathSql(revisionSql('latest').clause, dialect),
  latestEnabled: joinedVersionByPathSql(revisionSql('latest_enabled').clause, dialect),
  revision: joinedVersionByPathSql(revisionSql(1).clause, dialect),
});
const BY_PATH = { sqlite: byPathStatements('sqlite'), postgres: byPathStatements('postgres') };

export const readVersionWithPayloadAt = async (
  db: SqlDriver,
  location: { region: string; projectId: string; path: string; name: string },
  selector: RevisionSelector,
): Promise<VersionWithPayload | null> => {
  const where = [location.region, location.projectId, location.path, location.name];
  const statements = BY_PATH[db.dialect];
  const row =
    selector === 'latest'
      ? await db.get<JoinedRow>(statements.latest, where)
      : selector === 'latest_enabled'
        ? await db.get<JoinedRow>(statements.latestEnabled, where)
        : await db.get<JoinedRow>(statements.revision, [...where, selector]);
  return row ? { secret: secretFromRow(row), version: versionFromJoinedRow(row), sealed: sealedFromRow(row) } : null;
};

export const updateVersion = (
  db: SqlDriver,
  onChange: SecretChangeHook,
  secretId: string,
  revision: number,
  mutate: (version: SecretVersion, secret: Secret) => SecretVersion,
): Promise<SecretVersion> =>
  db.transaction(async (tx) => {
    const secret = await lockSecret(tx, null, secretId);
    const current = await lockVersion(tx, secretId, revision);
    const next = mutate(current, secret);
    if (next !== current) {
      if (next.revision !== revision) {
        throw new AppError('internal', 'a version was written back under another revision');
      }
      await writeVersion(tx, secretId, next);
      await onChange(tx, { kind: 'version_updated', secret, before: current, after: next });
    }
    return next;
  });

export const erasePayload = async (db: SqlDriver, secretId: string, revision: number, deletedAt: number): Promise<void> => {
  // An earlier deletion time stays: erasing twice is not a second deletion.
  await db.run(
    "UPDATE secret_versions SET status = 'deleted', deleted_at = COALESCE(deleted_at, ?), ciphertext = NULL, wrapped_dek = NULL WHERE secret_id = ? AND revision = ?",
    [deletedAt, secretId, revision],
  );
};

export const findVersionsDueForPurge = async (db: SqlDriver, cutoff: number, limit: number): Promise<{ secretId: string; revision: number }[]> => {
  const rows = await db.all<{ secret_id: string; revision: number }>(
    `SELECT v.secret_id, v.revision FROM secret_versions v
     WHERE v.status = 'scheduled_for_deletion' AND v.deletion_requested_at <= ? AND v.ciphertext IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM secrets s WHERE s.id = v.secret_id AND s.deletion_requested_at = v.deletion_requested_at)
     ORDER BY v.deletion_requested_at LIMIT ?`,
    [cutoff, limit],
  );
  return rows.map((row) => ({ secretId: row.secret_id, revision: Number(row.revision) }));
};

export const findExpiredVersions = async (
  db: SqlDriver,
  now: number,
  limit: number,
): Promise<{ secretId: string; region: string; revision: number }[]> => {
  const rows = await db.all<{ secret_id: string; region: string; revision: number }>(
    `SELECT v.secret_id, s.region, v.revision FROM secret_versions v JOIN secrets s ON s.id = v.secret_id
     WHERE v.status = 'enabled' AND v.eph_expires_at <= ? ORDER BY v.eph_expires_at LIMIT ?`,
    [now, limit],
  );
  return rows.map((row) => ({ secretId: row.secret_id, region: row.region, revision: Number(row.revision) }));
};
