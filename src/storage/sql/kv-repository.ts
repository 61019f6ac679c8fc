import type { KvDomain, KvSettings, KvStore } from '../../core/kv/index.js';
import type { SqlDriver } from './sql-driver.js';

type StoredDomain = KvDomain & { settings: KvSettings };

interface DomainRow {
  id: string;
  organization_id: string;
  project_id: string;
  region: string;
  created_at: number;
  max_versions: number;
  cas_required: number | boolean;
  delete_version_after: number;
}

const COLUMNS = 'id, organization_id, project_id, region, created_at, max_versions, cas_required, delete_version_after';

const fromRow = (row: DomainRow): StoredDomain => ({
  id: row.id,
  organizationId: row.organization_id,
  projectId: row.project_id,
  region: row.region,
  createdAt: Number(row.created_at),
  settings: {
    maxVersions: Number(row.max_versions),
    casRequired: row.cas_required === true || Number(row.cas_required) === 1,
    deleteVersionAfterSeconds: Number(row.delete_version_after),
  },
});

/** KV domains and their settings over SQL, identical on both engines. */
export class SqlKvStore implements KvStore {
  constructor(private readonly db: SqlDriver) {}

  async findDomain(id: string): Promise<StoredDomain | null> {
    const row = await this.db.get<DomainRow>(`SELECT ${COLUMNS} FROM kv_domains WHERE id = ?`, [id]);
    return row ? fromRow(row) : null;
  }

  async findDomainByScope(projectId: string, region: string): Promise<StoredDomain | null> {
    const row = await this.db.get<DomainRow>(`SELECT ${COLUMNS} FROM kv_domains WHERE project_id = ? AND region = ?`, [projectId, region]);
    return row ? fromRow(row) : null;
  }

  async listDomains(organizationId: string): Promise<KvDomain[]> {
    const rows = await this.db.all<DomainRow>(`SELECT ${COLUMNS} FROM kv_domains WHERE organization_id = ? ORDER BY created_at, id`, [organizationId]);
    return rows.map((row) => {
      const { settings: _settings, ...domain } = fromRow(row);
      return domain;
    });
  }

  async ensureDomain(domain: KvDomain, settings: KvSettings): Promise<StoredDomain> {
    // ON CONFLICT DO NOTHING keeps the first writer's id when two processes activate at once.
    await this.db.run(
      `INSERT INTO kv_domains (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, region) DO NOTHING`,
      [domain.id, domain.organizationId, domain.projectId, domain.region, domain.createdAt, settings.maxVersions, settings.casRequired ? 1 : 0, settings.deleteVersionAfterSeconds],
    );
    const stored = await this.findDomainByScope(domain.projectId, domain.region);
    if (!stored) {
      throw new Error('kv domain vanished after insert');
    }
    return stored;
  }

  async updateSettings(projectId: string, region: string, settings: KvSettings): Promise<void> {
    await this.db.run('UPDATE kv_domains SET max_versions = ?, cas_required = ?, delete_version_after = ? WHERE project_id = ? AND region = ?', [
      settings.maxVersions,
      settings.casRequired ? 1 : 0,
      settings.deleteVersionAfterSeconds,
      projectId,
      region,
    ]);
  }
}
