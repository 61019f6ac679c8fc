import type { KeyEncryptionKeyRecord, KeyScope, KeyStore, WrappedDataKeyRecord } from '../../core/keys/index.js';
import { alreadyExists } from '../../shared/errors.js';
import { asBuffer, UniqueViolation, type SqlDriver } from './sql-driver.js';

interface KekRow {
  id: string;
  project_id: string;
  region: string;
  generation: number;
  wrapped_key: Uint8Array;
  created_at: number;
}

const kekFromRow = (row: KekRow): KeyEncryptionKeyRecord => ({
  id: row.id,
  projectId: row.project_id,
  region: row.region,
  generation: Number(row.generation),
  wrappedKey: asBuffer(row.wrapped_key),
  createdAt: Number(row.created_at),
});

const KEK_COLUMNS = 'id, project_id, region, generation, wrapped_key, created_at';
// Secrets under a customer-managed key (key_id set) are re-wrapped by that key's rotation, not the KEK's.
const SCOPED_VERSIONS = `FROM secret_versions v JOIN secrets s ON s.id = v.secret_id
  WHERE s.project_id = ? AND s.region = ? AND s.key_id IS NULL AND v.kek_id <> ? AND v.wrapped_dek IS NOT NULL`;

/** KeyStore over SQL: KEK generations and compare-and-set re-wrapping of data keys. */
export class SqlKeyStore implements KeyStore {
  constructor(private readonly db: SqlDriver) {}

  async getActiveKek(projectId: string, region: string): Promise<KeyEncryptionKeyRecord | null> {
    const row = await this.db.get<KekRow>(
      `SELECT ${KEK_COLUMNS} FROM key_encryption_keys WHERE project_id = ? AND region = ? ORDER BY generation DESC LIMIT 1`,
      [projectId, region],
    );
    return row ? kekFromRow(row) : null;
  }

  async getKek(id: string): Promise<KeyEncryptionKeyRecord | null> {
    const row = await this.db.get<KekRow>(`SELECT ${KEK_COLUMNS} FROM key_encryption_keys WHERE id = ?`, [id]);
    return row ? kekFromRow(row) : null;
  }

  async insertKek(record: KeyEncryptionKeyRecord): Promise<void> {
    try {
      await this.db.run(`INSERT INTO key_encryption_keys (${KEK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`, [
        record.id,
        record.projectId,
        record.region,
        record.generation,
        asBuffer(record.wrappedKey),
        record.createdAt,
      ]);
    } catch (error) {
      if (error instanceof UniqueViolation) {
        throw alreadyExists('key_encryption_key', `${record.projectId}/${record.region}/${record.generation}`, 'that key generation exists already');
      }
      throw error;
    }
  }

  async listKeyScopes(): Promise<KeyScope[]> {
    const rows = await this.db.all<{ project_id: string; region: string }>(
      'SELECT DISTINCT project_id, region FROM key_encryption_keys ORDER BY project_id, region',
    );
    return rows.map((row) => ({ projectId: row.project_id, region: row.region }));
  }

  async countDataKeysNotUnder(scope: KeyScope, kekId: string): Promise<number> {
    const row = await this.db.get<{ total: number }>(`SELECT COUNT(*) AS total ${SCOPED_VERSIONS}`, [scope.projectId, scope.region, kekId]);
    return Number(row?.total ?? 0);
  }

  async listDataKeysNotUnder(scope: KeyScope, kekId: string, limit: number): Promise<WrappedDataKeyRecord[]> {
    const rows = await this.db.all<{ secret_id: string; revision: number; dek_id: string; kek_id: string; wrapped_dek: Uint8Array }>(
      `SELECT v.secret_id, v.revision, v.dek_id, v.kek_id, v.wrapped_dek ${SCOPED_VERSIONS} ORDER BY v.secret_id, v.revision LIMIT ?`,
      [scope.projectId, scope.region, kekId, limit],
    );
    return rows.map((row) => ({
      secretId: row.secret_id,
      revision: Number(row.revision),
      dekId: row.dek_id,
      kekId: row.kek_id,
      wrappedDek: asBuffer(row.wrapped_dek),
    }));
  }

  async getRootKeyCheck(): Promise<Uint8Array | null> {
    const row = await this.db.get<{ value: string }>("SELECT value FROM coffer_meta WHERE key = 'root_key_check'");
    return row ? Buffer.from(row.value, 'base64') : null;
  }

  async putRootKeyCheckIfAbsent(value: Uint8Array): Promise<void> {
    await this.db.run("INSERT INTO coffer_meta (key, value) VALUES ('root_key_check', ?) ON CONFLICT (key) DO NOTHING", [
      Buffer.from(value).toString('base64'),
    ]);
  }

  async rewrapDataKey(record: WrappedDataKeyRecord, expectedKekId: string): Promise<boolean> {
    const { changes } = await this.db.run(
      'UPDATE secret_versions SET kek_id = ?, wrapped_dek = ? WHERE secret_id = ? AND revision = ? AND kek_id = ? AND wrapped_dek IS NOT NULL',
      [record.kekId, asBuffer(record.wrappedDek), record.secretId, record.revision, expectedKekId],
    );
    return changes === 1;
  }
}
