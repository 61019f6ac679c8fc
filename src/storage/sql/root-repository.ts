import type { RootMetaName, RootStore, RootWrappedKek, RootWrappedKeyVersion } from '../../core/root/index.js';
import { asBuffer, type SqlDriver } from './sql-driver.js';

// coffer_meta holds text: binary values are kept as base64.
const toText = (value: Uint8Array): string => Buffer.from(value).toString('base64');

/** RootStore over SQL: the rows the root key wraps, swapped by compare-and-set on their bytes. */
export class SqlRootStore implements RootStore {
  constructor(private readonly db: SqlDriver) {}

  async listKeks(): Promise<RootWrappedKek[]> {
    const rows = await this.db.all<{ id: string; project_id: string; region: string; wrapped_key: Uint8Array }>(
      'SELECT id, project_id, region, wrapped_key FROM key_encryption_keys ORDER BY id',
    );
    return rows.map((row) => ({ id: row.id, projectId: row.project_id, region: row.region, wrappedKey: asBuffer(row.wrapped_key) }));
  }

  async replaceKek(id: string, expected: Uint8Array, next: Uint8Array): Promise<boolean> {
    const { changes } = await this.db.run('UPDATE key_encryption_keys SET wrapped_key = ? WHERE id = ? AND wrapped_key = ?', [asBuffer(next), id, asBuffer(expected)]);
    return changes === 1;
  }

  async listKeyVersions(): Promise<RootWrappedKeyVersion[]> {
    const rows = await this.db.all<{ id: string; key_id: string; version: number; project_id: string; region: string; wrapped_material: Uint8Array }>(
      `SELECT v.id, v.key_id, v.version, k.project_id, k.region, v.wrapped_material
         FROM kms_key_versions v JOIN kms_keys k ON k.id = v.key_id ORDER BY v.id`,
    );
    return rows.map((row) => ({
      id: row.id,
      keyId: row.key_id,
      version: Number(row.version),
      projectId: row.project_id,
      region: row.region,
      wrappedMaterial: asBuffer(row.wrapped_material),
    }));
  }

  async replaceKeyVersion(id: string, expected: Uint8Array, next: Uint8Array): Promise<boolean> {
    const { changes } = await this.db.run('UPDATE kms_key_versions SET wrapped_material = ? WHERE id = ? AND wrapped_material = ?', [
      asBuffer(next),
      id,
      asBuffer(expected),
    ]);
    return changes === 1;
  }

  async getMeta(name: RootMetaName): Promise<Uint8Array | null> {
    const row = await this.db.get<{ value: string }>('SELECT value FROM coffer_meta WHERE key = ?', [name]);
    return row ? Buffer.from(row.value, 'base64') : null;
  }

  async putMetaIfAbsent(name: RootMetaName, value: Uint8Array): Promise<void> {
    await this.db.run('INSERT INTO coffer_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [name, toText(value)]);
  }

  async replaceMeta(name: RootMetaName, expected: Uint8Array, next: Uint8Array): Promise<boolean> {
    const { changes } = await this.db.run('UPDATE coffer_meta SET value = ? WHERE key = ? AND value = ?', [toText(next), name, toText(expected)]);
    return changes === 1;
  }
}
