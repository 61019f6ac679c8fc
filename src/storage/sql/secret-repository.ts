import type {
  RevisionSelector,
  Secret,
  SecretFilter,
  SecretOrder,
  SecretStore,
  SecretVersion,
  VersionPlan,
  VersionStatus,
  VersionWithPayload,
} from '../../core/secrets/index.js';
import { alreadyExists, notFound } from '../../shared/errors.js';
import { pageOffset, type Page, type PageRequest } from '../../shared/paging.js';
import { prefixedVersionColumns, revisionSql, secretFilterSql, secretOrderSql, unprefix } from './secret-queries.js';
import {
  placeholders,
  SECRET_COLUMNS,
  secretFromRow,
  secretValues,
  sealedFromRow,
  VERSION_COLUMNS,
  versionFromRow,
  versionValues,
  type PayloadRow,
  type SecretRow,
  type VersionRow,
} from './secret-rows.js';
import { UniqueViolation, type SqlDriver, type SqlExecutor } from './sql-driver.js';

const SECRET_UPDATE = SECRET_COLUMNS.split(', ')
  .slice(1)
  .map((column) => `${column} = ?`)
  .join(', ');
const VERSION_UPDATE =
  'status = ?, description = ?, updated_at = ?, deleted_at = ?, deletion_requested_at = ?, status_before_deletion = ?, eph_expires_at = ?, eph_expires_once_accessed = ?, eph_action = ?';

const nameTaken = (secret: Secret) =>
  alreadyExists('secret', secret.name, `a secret named "${secret.name}" already exists at path "${secret.path}" in this project`);

/** SecretStore over SQL, identical on SQLite and PostgreSQL. */
export class SqlSecretStore implements SecretStore {
  constructor(private readonly db: SqlDriver) {}

  private async writeTags(tx: SqlExecutor, secret: Secret): Promise<void> {
    await tx.run('DELETE FROM secret_tags WHERE secret_id = ?', [secret.id]);
    for (const tag of secret.tags) {
      await tx.run('INSERT INTO secret_tags (secret_id, tag) VALUES (?, ?)', [secret.id, tag]);
    }
  }

  private async lockSecret(tx: SqlExecutor, region: string | null, id: string): Promise<Secret> {
    const row = await tx.get<SecretRow>(
      `SELECT ${SECRET_COLUMNS} FROM secrets WHERE id = ?${region === null ? '' : ' AND region = ?'} FOR UPDATE`,
      region === null ? [id] : [id, region],
    );
    if (!row) {
      throw notFound('secret', id);
    }
    return secretFromRow(row);
  }

  async insertSecret(secret: Secret): Promise<void> {
    try {
      await this.db.transaction(async (tx) => {
        await tx.run(`INSERT INTO secrets (${SECRET_COLUMNS}) VALUES (${placeholders(17)})`, secretValues(secret));
        await this.writeTags(tx, secret);
      });
    } catch (error) {
      throw error instanceof UniqueViolation ? nameTaken(secret) : error;
    }
  }

  async getSecret(region: string, id: string): Promise<Secret | null> {
    const row = await this.db.get<SecretRow>(`SELECT ${SECRET_COLUMNS} FROM secrets WHERE id = ? AND region = ?`, [id, region]);
    return row ? secretFromRow(row) : null;
  }

  async findActiveSecretByPath(region: string, projectId: string, path: string, name: string): Promise<Secret | null> {
    const row = await this.db.get<SecretRow>(
      `SELECT ${SECRET_COLUMNS} FROM secrets WHERE region = ? AND project_id = ? AND path = ? AND name = ? AND deletion_requested_at IS NULL`,
      [region, projectId, path, name],
    );
    return row ? secretFromRow(row) : null;
  }

  async listSecrets(filter: SecretFilter, order: SecretOrder, page: PageRequest): Promise<Page<Secret>> {
    const { where, params } = secretFilterSql(filter);
    const rows = await this.db.all<SecretRow>(
      `SELECT ${SECRET_COLUMNS.replace(/(^|, )/g, '$1s.')} FROM secrets s WHERE ${where} ORDER BY ${secretOrderSql(order, this.db.dialect)} LIMIT ? OFFSET ?`,
      [...params, page.pageSize, pageOffset(page)],
    );
    const count = await this.db.get<{ total: number }>(`SELECT COUNT(*) AS total FROM secrets s WHERE ${where}`, params);
    return { items: rows.map(secretFromRow), totalCount: Number(count?.total ?? 0) };
  }

  async listAllSecrets(filter: SecretFilter): Promise<Secret[]> {
    const { where, params } = secretFilterSql(filter);
    const rows = await this.db.all<SecretRow>(`SELECT ${SECRET_COLUMNS.replace(/(^|, )/g, '$1s.')} FROM secrets s WHERE ${where}`, params);
    return rows.map(secretFromRow);
  }

  async updateSecret(
    region: string,
    id: string,
    mutate: (secret: Secret, versions: () => SecretVersion[]) => { secret: Secret; versions?: SecretVersion[] },
  ): Promise<Secret> {
    try {
      return await this.db.transaction(async (tx) => {
        const current = await this.lockSecret(tx, region, id);
        const versions = (
          await tx.all<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM secret_versions WHERE secret_id = ? ORDER BY revision`, [id])
        ).map(versionFromRow);
        const result = mutate(current, () => versions);
        if (result.secret !== current) {
          await tx.run(`UPDATE secrets SET ${SECRET_UPDATE} WHERE id = ?`, [...secretValues(result.secret).slice(1), id]);
          if (JSON.stringify(result.secret.tags) !== JSON.stringify(current.tags)) {
            await this.writeTags(tx, result.secret);
          }
        }
        for (const version of result.versions ?? []) {
          await this.writeVersion(tx, version);
        }
        return result.secret;
      });
    } catch (error) {
      if (error instanceof UniqueViolation) {
        throw alreadyExists('secret', id, 'another active secret already has this name at this path in this project');
      }
      throw error;
    }
  }

  private async writeVersion(tx: SqlExecutor, version: SecretVersion): Promise<void> {
    const values = versionValues(version);
    await tx.run(`UPDATE secret_versions SET ${VERSION_UPDATE} WHERE secret_id = ? AND revision = ?`, [
      values[2] ?? null,
      values[3] ?? null,
      ...values.slice(5, 12),
      version.secretId,
      version.revision,
    ]);
  }

  async purgeSecret(id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM secret_versions WHERE secret_id = ?', [id]);
      await tx.run('DELETE FROM secret_tags WHERE secret_id = ?', [id]);
      await tx.run('DELETE FROM secrets WHERE id = ?', [id]);
    });
  }

  async appendVersion(
    region: string,
    secretId: string,
    build: (secret: Secret, revision: number) => VersionPlan,
  ): Promise<{ secret: Secret; version: SecretVersion }> {
    return this.db.transaction(async (tx) => {
      const secret = await this.lockSecret(tx, region, secretId);
      const revision = secret.versionCount + 1;
      const { version, sealed, disablePrevious } = build(secret, revision);
      if (disablePrevious && revision > 1) {
        await tx.run(
          "UPDATE secret_versions SET status = 'disabled', updated_at = ? WHERE secret_id = ? AND revision = ? AND status = 'enabled'",
          [version.createdAt, secretId, revision - 1],
        );
      }
      await tx.run(
        `INSERT INTO secret_versions (${VERSION_COLUMNS}, dek_id, kek_id, wrapped_dek, ciphertext) VALUES (${placeholders(17)})`,
        [...versionValues({ ...version, revision }), sealed.dekId, sealed.kekId, Buffer.from(sealed.wrappedDek), Buffer.from(sealed.ciphertext)],
      );
      await tx.run('UPDATE secrets SET version_count = ? WHERE id = ?', [revision, secretId]);
      return { secret: { ...secret, versionCount: revision }, version: { ...version, revision } };
    });
  }

  async getVersion(secretId: string, selector: RevisionSelector): Promise<SecretVersion | null> {
    const { clause, params, tail } = revisionSql(selector);
    const row = await this.db.get<VersionRow>(
      `SELECT ${VERSION_COLUMNS.replace(/(^|, )/g, '$1v.')} FROM secret_versions v WHERE v.secret_id = ? ${clause} ${tail}`,
      [secretId, ...params],
    );
    return row ? versionFromRow(row) : null;
  }

  async readVersionWithPayload(region: string, secretId: string, selector: RevisionSelector): Promise<VersionWithPayload | null> {
    const { clause, params, tail } = revisionSql(selector);
    const row = await this.db.get<SecretRow & PayloadRow & Record<string, unknown>>(
      `SELECT ${SECRET_COLUMNS.replace(/(^|, )/g, '$1s.')}, ${prefixedVersionColumns}, v.dek_id, v.kek_id, v.wrapped_dek, v.ciphertext
       FROM secrets s JOIN secret_versions v ON v.secret_id = s.id
       WHERE s.id = ? AND s.region = ? ${clause} ${tail}`,
      [secretId, region, ...params],
    );
    if (!row) {
      return null;
    }
    return { secret: secretFromRow(row), version: versionFromRow(unprefix(row) as unknown as VersionRow), sealed: sealedFromRow(row) };
  }

  async updateVersion(
    secretId: string,
    revision: number,
    mutate: (version: SecretVersion, secret: Secret) => SecretVersion,
  ): Promise<SecretVersion> {
    return this.db.transaction(async (tx) => {
      const secret = await this.lockSecret(tx, null, secretId);
      const row = await tx.get<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM secret_versions WHERE secret_id = ? AND revision = ?`, [
        secretId,
        revision,
      ]);
      if (!row) {
        throw notFound('secret_version', String(revision));
      }
      const current = versionFromRow(row);
      const next = mutate(current, secret);
      if (next !== current) {
        await this.writeVersion(tx, next);
      }
      return next;
    });
  }

  async erasePayload(secretId: string, revision: number, deletedAt: number): Promise<void> {
    await this.db.run(
      "UPDATE secret_versions SET status = 'deleted', deleted_at = COALESCE(deleted_at, ?), ciphertext = NULL, wrapped_dek = NULL WHERE secret_id = ? AND revision = ?",
      [deletedAt, secretId, revision],
    );
  }

  async listVersions(secretId: string, statuses: VersionStatus[], page: PageRequest): Promise<Page<SecretVersion>> {
    const statusClause = statuses.length > 0 ? ` AND status IN (${placeholders(statuses.length)})` : '';
    const params = [secretId, ...statuses];
    const rows = await this.db.all<VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM secret_versions WHERE secret_id = ?${statusClause} ORDER BY revision DESC LIMIT ? OFFSET ?`,
      [...params, page.pageSize, pageOffset(page)],
    );
    const count = await this.db.get<{ total: number }>(`SELECT COUNT(*) AS total FROM secret_versions WHERE secret_id = ?${statusClause}`, params);
    return { items: rows.map(versionFromRow), totalCount: Number(count?.total ?? 0) };
  }

  listTags(region: string, organizationId: string, projectId: string | null, page: PageRequest): Promise<Page<string>> {
    return this.distinct('t.tag', 'secret_tags t JOIN secrets s ON s.id = t.secret_id', region, organizationId, projectId, page);
  }

  listTypes(region: string, organizationId: string, projectId: string | null, page: PageRequest): Promise<Page<string>> {
    return this.distinct('s.type', 'secrets s', region, organizationId, projectId, page);
  }

  private async distinct(column: string, from: string, region: string, organizationId: string, projectId: string | null, page: PageRequest) {
    const where = `s.region = ? AND s.organization_id = ? AND s.deletion_requested_at IS NULL${projectId === null ? '' : ' AND s.project_id = ?'}`;
    const params = projectId === null ? [region, organizationId] : [region, organizationId, projectId];
    const collate = this.db.dialect === 'postgres' ? ' COLLATE "C"' : '';
    const rows = await this.db.all<{ value: string }>(
      `SELECT DISTINCT ${column}${collate} AS value FROM ${from} WHERE ${where} ORDER BY value LIMIT ? OFFSET ?`,
      [...params, page.pageSize, pageOffset(page)],
    );
    const count = await this.db.get<{ total: number }>(`SELECT COUNT(DISTINCT ${column}) AS total FROM ${from} WHERE ${where}`, params);
    return { items: rows.map((row) => row.value), totalCount: Number(count?.total ?? 0) };
  }

  async findSecretsDueForPurge(cutoff: number, limit: number): Promise<string[]> {
    const rows = await this.db.all<{ id: string }>(
      'SELECT id FROM secrets WHERE deletion_requested_at IS NOT NULL AND deletion_requested_at <= ? LIMIT ?',
      [cutoff, limit],
    );
    return rows.map((row) => row.id);
  }

  async findVersionsDueForPurge(cutoff: number, limit: number): Promise<{ secretId: string; revision: number }[]> {
    const rows = await this.db.all<{ secret_id: string; revision: number }>(
      "SELECT secret_id, revision FROM secret_versions WHERE status = 'scheduled_for_deletion' AND deletion_requested_at <= ? AND ciphertext IS NOT NULL LIMIT ?",
      [cutoff, limit],
    );
    return rows.map((row) => ({ secretId: row.secret_id, revision: Number(row.revision) }));
  }

  async findExpiredVersions(now: number, limit: number): Promise<{ secretId: string; region: string; revision: number }[]> {
    const rows = await this.db.all<{ secret_id: string; region: string; revision: number }>(
      `SELECT v.secret_id, s.region, v.revision FROM secret_versions v JOIN secrets s ON s.id = v.secret_id
       WHERE v.status = 'enabled' AND v.eph_expires_at IS NOT NULL AND v.eph_expires_at <= ? LIMIT ?`,
      [now, limit],
    );
    return rows.map((row) => ({ secretId: row.secret_id, region: row.region, revision: Number(row.revision) }));
  }
}
