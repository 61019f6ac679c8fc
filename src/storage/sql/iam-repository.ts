import type { ApiKeyRecord, IamStore, Organization, Project } from '../../core/iam/index.js';
import { AppError, alreadyExists } from '../../shared/errors.js';
import { asBuffer, UniqueViolation, type SqlDriver } from './sql-driver.js';

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

const PROJECT_COLUMNS = 'id, organization_id, name, description, created_at, updated_at';
const API_KEY_COLUMNS = 'access_key, secret_key_hash, organization_id, default_project_id, description, role, created_at, expires_at';

const projectFromRow = (row: ProjectRow): Project => ({
  id: row.id,
  organizationId: row.organization_id,
  name: row.name,
  description: row.description,
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
});

const apiKeyFromRow = (row: ApiKeyRow): ApiKeyRecord => {
  // Fail closed: a role this build does not know grants nothing, rather than admin.
  if (row.role !== 'admin') {
    throw new AppError('internal', 'an API key has a role this version does not know');
  }
  return {
    accessKey: row.access_key,
    secretKeyHash: asBuffer(row.secret_key_hash),
    organizationId: row.organization_id,
    defaultProjectId: row.default_project_id,
    description: row.description,
    role: row.role,
    createdAt: Number(row.created_at),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
  };
};

/** IamStore over SQL. */
export class SqlIamStore implements IamStore {
  constructor(private readonly db: SqlDriver) {}

  async bootstrap(organization: Organization, project: Project, apiKey: ApiKeyRecord): Promise<boolean> {
    try {
      return await this.db.transaction(async (tx) => {
        // The marker row makes bootstrap happen once, whichever process gets there first:
        // a concurrent one waits on the marker's key and then finds it taken.
        const { changes } = await tx.run("INSERT INTO coffer_meta (key, value) VALUES ('bootstrapped', ?) ON CONFLICT (key) DO NOTHING", [
          String(organization.createdAt),
        ]);
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
        await tx.run(`INSERT INTO api_keys (${API_KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [
          apiKey.accessKey,
          asBuffer(apiKey.secretKeyHash),
          apiKey.organizationId,
          apiKey.defaultProjectId,
          apiKey.description,
          apiKey.role,
          apiKey.createdAt,
          apiKey.expiresAt,
        ]);
        return true;
      });
    } catch (error) {
      throw error instanceof UniqueViolation ? alreadyExists('api_key', apiKey.accessKey, 'an API key with this access key or secret exists already') : error;
    }
  }

  async findApiKeyBySecretHash(secretKeyHash: Uint8Array): Promise<ApiKeyRecord | null> {
    const row = await this.db.get<ApiKeyRow>(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE secret_key_hash = ?`, [asBuffer(secretKeyHash)]);
    return row ? apiKeyFromRow(row) : null;
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
