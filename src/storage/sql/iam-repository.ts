import type { ApiKeyRecord, IamStore, Organization, Project } from '../../core/iam/index.js';
import type { SqlDriver } from './sql-driver.js';

interface ProjectRow {
  id: string;
  organization_id: string;
  name: string;
  description: string;
  created_at: number;
  updated_at: number;
}

interface ApiKeyRow {
  access_key: string;
  secret_key_hash: Uint8Array;
  organization_id: string;
  default_project_id: string;
  description: string;
  role: string;
  created_at: number;
  expires_at: number | null;
}

const projectFromRow = (row: ProjectRow): Project => ({
  id: row.id,
  organizationId: row.organization_id,
  name: row.name,
  description: row.description,
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
});

const PROJECT_COLUMNS = 'id, organization_id, name, description, created_at, updated_at';

/** IamStore over SQL. */
export class SqlIamStore implements IamStore {
  constructor(private readonly db: SqlDriver) {}

  bootstrap(organization: Organization, project: Project, apiKey: ApiKeyRecord): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // The marker row makes bootstrap happen once, whichever process starts first.
      const { changes } = await tx.run(
        "INSERT INTO coffer_meta (key, value) VALUES ('bootstrapped', ?) ON CONFLICT (key) DO NOTHING",
        [String(organization.createdAt)],
      );
      if (changes === 0) {
        return false;
      }
      await tx.run('INSERT INTO organizations (id, name, created_at) VALUES (?, ?, ?)', [organization.id, organization.name, organization.createdAt]);
      await tx.run(`INSERT INTO projects (${PROJECT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`, [
        project.id,
        project.organizationId,
        project.name,
        project.description,
        project.createdAt,
        project.updatedAt,
      ]);
      await tx.run(
        `INSERT INTO api_keys (access_key, secret_key_hash, organization_id, default_project_id, description, role, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          apiKey.accessKey,
          Buffer.from(apiKey.secretKeyHash),
          apiKey.organizationId,
          apiKey.defaultProjectId,
          apiKey.description,
          apiKey.role,
          apiKey.createdAt,
          apiKey.expiresAt,
        ],
      );
      return true;
    });
  }

  async findApiKeyBySecretHash(secretKeyHash: Uint8Array): Promise<ApiKeyRecord | null> {
    const row = await this.db.get<ApiKeyRow>(
      'SELECT access_key, secret_key_hash, organization_id, default_project_id, description, role, created_at, expires_at FROM api_keys WHERE secret_key_hash = ?',
      [Buffer.from(secretKeyHash)],
    );
    if (!row) {
      return null;
    }
    return {
      accessKey: row.access_key,
      secretKeyHash: Buffer.from(row.secret_key_hash),
      organizationId: row.organization_id,
      defaultProjectId: row.default_project_id,
      description: row.description,
      role: 'admin',
      createdAt: Number(row.created_at),
      expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    };
  }

  async getProject(id: string): Promise<Project | null> {
    const row = await this.db.get<ProjectRow>(`SELECT ${PROJECT_COLUMNS} FROM projects WHERE id = ?`, [id]);
    return row ? projectFromRow(row) : null;
  }

  async listProjects(organizationId: string): Promise<Project[]> {
    const rows = await this.db.all<ProjectRow>(`SELECT ${PROJECT_COLUMNS} FROM projects WHERE organization_id = ? ORDER BY name, id`, [organizationId]);
    return rows.map(projectFromRow);
  }
}
