import type { WrappedDataKeyRecord } from '../../core/keys/index.js';
import type { CustomerKey, KeyChange, KeyFilter, KeyOrder, KeyVersionRecord, KmsStore } from '../../core/kms/index.js';
import { AppError, notFound } from '../../shared/errors.js';
import { pageOffset, type Page, type PageRequest } from '../../shared/paging.js';
import {
  KEY_ASSIGNMENTS,
  KEY_COLUMNS,
  keyColumns,
  keyFilterSql,
  keyFromRow,
  keyOrderSql,
  keyValues,
  VERSION_COLUMNS,
  versionFromRow,
  type KeyRow,
  type KeyVersionRow,
} from './kms-rows.js';
import { asBuffer, type SqlDriver, type SqlExecutor } from './sql-driver.js';

// The data keys a customer key wraps: versions of the secrets that chose it, still holding data.
const KEY_DATA_KEYS = `FROM secret_versions v JOIN secrets s ON s.id = v.secret_id WHERE s.key_id = ? AND v.wrapped_dek IS NOT NULL`;

const insertVersion = (tx: SqlExecutor, version: KeyVersionRecord) =>
  tx.run(`INSERT INTO kms_key_versions (${VERSION_COLUMNS}) VALUES (?, ?, ?, ?, ?)`, [
    version.id,
    version.keyId,
    version.version,
    asBuffer(version.wrappedMaterial),
    version.createdAt,
  ]);

/** KmsStore over SQL: keys, their wrapped versions, and the re-wrap and purge of their secrets' data keys. */
export class SqlKmsStore implements KmsStore {
  constructor(private readonly db: SqlDriver) {}

  async insertKey(key: CustomerKey, firstVersion: KeyVersionRecord | null): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(`INSERT INTO kms_keys (${keyColumns()}) VALUES (${KEY_COLUMNS.map(() => '?').join(', ')})`, keyValues(key));
      if (firstVersion) {
        await insertVersion(tx, firstVersion);
      }
    });
  }

  async getKey(id: string): Promise<CustomerKey | null> {
    const row = await this.db.get<KeyRow>(`SELECT ${keyColumns()} FROM kms_keys WHERE id = ?`, [id]);
    return row ? keyFromRow(row) : null;
  }

  async getKeys(ids: readonly string[]): Promise<CustomerKey[]> {
    if (ids.length === 0) {
      return [];
    }
    const rows = await this.db.all<KeyRow>(`SELECT ${keyColumns()} FROM kms_keys WHERE id IN (${ids.map(() => '?').join(', ')})`, [...ids]);
    return rows.map(keyFromRow);
  }

  async listKeys(filter: KeyFilter, order: KeyOrder, page: PageRequest): Promise<Page<CustomerKey>> {
    const { where, params } = keyFilterSql(filter);
    const count = await this.db.get<{ total: number }>(`SELECT COUNT(*) AS total FROM kms_keys WHERE ${where}`, params);
    const rows = await this.db.all<KeyRow>(
      `SELECT ${keyColumns()} FROM kms_keys WHERE ${where} ORDER BY ${keyOrderSql(order, this.db.dialect)} LIMIT ? OFFSET ?`,
      [...params, page.pageSize, pageOffset(page)],
    );
    return { items: rows.map(keyFromRow), totalCount: Number(count?.total ?? 0) };
  }

  async updateKey(id: string, mutate: (key: CustomerKey) => KeyChange): Promise<CustomerKey> {
    return this.db.transaction(async (tx) => {
      const row = await tx.get<KeyRow>(`SELECT ${keyColumns()} FROM kms_keys WHERE id = ? FOR UPDATE`, [id]);
      if (!row) {
        throw notFound('key', id);
      }
      const { key, newVersion } = mutate(keyFromRow(row));
      if (key.id !== id) {
        throw new AppError('internal', 'a key was written back under another id');
      }
      if (newVersion) {
        await insertVersion(tx, newVersion);
      }
      const [, ...rest] = keyValues(key);
      await tx.run(`UPDATE kms_keys SET ${KEY_ASSIGNMENTS} WHERE id = ?`, [...rest, id]);
      return key;
    });
  }

  async getVersion(keyId: string, version: number): Promise<KeyVersionRecord | null> {
    const row = await this.db.get<KeyVersionRow>(`SELECT ${VERSION_COLUMNS} FROM kms_key_versions WHERE key_id = ? AND version = ?`, [keyId, version]);
    return row ? versionFromRow(row) : null;
  }

  async getVersionById(id: string): Promise<KeyVersionRecord | null> {
    const row = await this.db.get<KeyVersionRow>(`SELECT ${VERSION_COLUMNS} FROM kms_key_versions WHERE id = ?`, [id]);
    return row ? versionFromRow(row) : null;
  }

  async countSecretsUsingKey(keyId: string): Promise<number> {
    const row = await this.db.get<{ total: number }>('SELECT COUNT(*) AS total FROM secrets WHERE key_id = ?', [keyId]);
    return Number(row?.total ?? 0);
  }

  async countDataKeys(keyId: string, versionId: string): Promise<{ total: number; underVersion: number }> {
    const row = await this.db.get<{ total: number; under: number | null }>(
      `SELECT COUNT(*) AS total, SUM(CASE WHEN v.kek_id = ? THEN 1 ELSE 0 END) AS under ${KEY_DATA_KEYS}`,
      [versionId, keyId],
    );
    return { total: Number(row?.total ?? 0), underVersion: Number(row?.under ?? 0) };
  }

  async listDataKeysNotUnder(keyId: string, versionId: string, limit: number): Promise<WrappedDataKeyRecord[]> {
    const rows = await this.db.all<{ secret_id: string; revision: number; dek_id: string; kek_id: string; wrapped_dek: Uint8Array }>(
      `SELECT v.secret_id, v.revision, v.dek_id, v.kek_id, v.wrapped_dek ${KEY_DATA_KEYS} AND v.kek_id <> ? ORDER BY v.secret_id, v.revision LIMIT ?`,
      [keyId, versionId, limit],
    );
    return rows.map((row) => ({ secretId: row.secret_id, revision: Number(row.revision), dekId: row.dek_id, kekId: row.kek_id, wrappedDek: asBuffer(row.wrapped_dek) }));
  }

  async rewrapDataKey(record: WrappedDataKeyRecord, expectedVersionId: string): Promise<boolean> {
    const { changes } = await this.db.run(
      'UPDATE secret_versions SET kek_id = ?, wrapped_dek = ? WHERE secret_id = ? AND revision = ? AND kek_id = ? AND wrapped_dek IS NOT NULL',
      [record.kekId, asBuffer(record.wrappedDek), record.secretId, record.revision, expectedVersionId],
    );
    return changes === 1;
  }

  async findKeysNeedingRewrap(limit: number): Promise<string[]> {
    const rows = await this.db.all<{ key_id: string }>(
      `SELECT DISTINCT k.id AS key_id FROM kms_keys k JOIN secrets s ON s.key_id = k.id
       JOIN secret_versions v ON v.secret_id = s.id JOIN kms_key_versions kv ON kv.id = v.kek_id
       WHERE v.wrapped_dek IS NOT NULL AND kv.version < k.current_version ORDER BY k.id LIMIT ?`,
      [limit],
    );
    return rows.map((row) => row.key_id);
  }

  async findKeysDueForRotation(now: number, limit: number): Promise<string[]> {
    const rows = await this.db.all<{ id: string }>(
      "SELECT id FROM kms_keys WHERE state = 'enabled' AND origin <> 'external' AND next_rotation_at <= ? ORDER BY next_rotation_at LIMIT ?",
      [now, limit],
    );
    return rows.map((row) => row.id);
  }

  async findKeysDueForPurge(cutoff: number, limit: number): Promise<string[]> {
    const rows = await this.db.all<{ id: string }>(
      "SELECT id FROM kms_keys WHERE state = 'scheduled_for_deletion' AND deletion_requested_at <= ? ORDER BY deletion_requested_at LIMIT ?",
      [cutoff, limit],
    );
    return rows.map((row) => row.id);
  }

  async purgeKey(id: string, now: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      const row = await tx.get<{ state: string }>('SELECT state FROM kms_keys WHERE id = ? FOR UPDATE', [id]);
      // Restored since it was found due, or purged by another process: nothing to do.
      if (!row || row.state !== 'scheduled_for_deletion') {
        return 0;
      }
      const { changes } = await tx.run(
        `UPDATE secret_versions SET status = 'deleted', deleted_at = COALESCE(deleted_at, ?), ciphertext = NULL, wrapped_dek = NULL
         WHERE secret_id IN (SELECT id FROM secrets WHERE key_id = ?) AND (ciphertext IS NOT NULL OR wrapped_dek IS NOT NULL)`,
        [now, id],
      );
      await tx.run('DELETE FROM kms_key_versions WHERE key_id = ?', [id]);
      await tx.run('DELETE FROM kms_keys WHERE id = ?', [id]);
      return changes;
    });
  }
}
