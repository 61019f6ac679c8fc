import type { ApiKeyRecord, Application, IamStore, Organization, Policy, Project } from '../../core/iam/index.js';
import { alreadyExists, preconditionFailed } from '../../shared/errors.js';
import {
  API_KEY_COLUMNS,
  apiKeyFromRow,
  apiKeyValues,
  APPLICATION_COLUMNS,
  applicationFromRow,
  applicationValues,
  assignmentsOf,
  INSERT_ORGANIZATION,
  insertSql,
  INSERT_PROJECT,
  POLICY_ASSIGNMENTS,
  POLICY_COLUMNS,
  policyFromRow,
  policyValues,
  PROJECT_COLUMNS,
  projectFromRow,
  projectValues,
  type ApiKeyRow,
  type ApplicationRow,
  type PolicyRow,
  type ProjectRow,
} from './iam-rows.js';
import { SqlPrincipalStore } from './principal-repository.js';
import { asBuffer, UniqueViolation } from './sql-driver.js';

const INSERT_API_KEY = insertSql('api_keys', API_KEY_COLUMNS);

/** IamStore over SQL: organizations, projects, applications, policies and API keys, on top of users and groups. */
export class SqlIamStore extends SqlPrincipalStore implements IamStore {
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
        await tx.run(INSERT_ORGANIZATION, [organization.id, organization.name, organization.createdAt]);
        await tx.run(INSERT_PROJECT, projectValues(project));
        await tx.run(INSERT_API_KEY, apiKeyValues(apiKey));
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

  async insertProject(project: Project): Promise<void> {
    await this.db.run(INSERT_PROJECT, projectValues(project));
  }

  async updateProject(project: Project): Promise<void> {
    await this.db.run(`UPDATE projects SET ${assignmentsOf(PROJECT_COLUMNS)} WHERE id = ?`, [...projectValues(project).slice(1), project.id]);
  }

  async deleteProject(id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      // Locking the project row makes a concurrent deletion of the same project wait here.
      await tx.get('SELECT id FROM projects WHERE id = ? FOR UPDATE', [id]);
      if (await tx.get('SELECT id FROM secrets WHERE project_id = ? LIMIT 1', [id])) {
        throw preconditionFailed('project_not_empty', 'the project still holds secrets (some may be pending deletion): delete or purge them first');
      }
      if (await tx.get('SELECT access_key FROM api_keys WHERE default_project_id = ? LIMIT 1', [id])) {
        throw preconditionFailed('project_in_use', 'an API key uses this project as its default project: change or delete the key first');
      }
      await tx.run('DELETE FROM kv_domains WHERE project_id = ?', [id]);
      await tx.run('DELETE FROM key_encryption_keys WHERE project_id = ?', [id]);
      await tx.run('DELETE FROM projects WHERE id = ?', [id]);
    });
  }

  async insertOrganization(organization: Organization): Promise<void> {
    await this.db.run(INSERT_ORGANIZATION, [organization.id, organization.name, organization.createdAt]);
  }

  async insertApplication(application: Application): Promise<void> {
    await this.db.run(insertSql('applications', APPLICATION_COLUMNS), applicationValues(application));
  }

  async getApplication(id: string): Promise<Application | null> {
    const row = await this.db.get<ApplicationRow>(`SELECT ${APPLICATION_COLUMNS} FROM applications WHERE id = ?`, [id]);
    return row ? applicationFromRow(row) : null;
  }

  async listApplications(organizationId: string): Promise<Application[]> {
    const rows = await this.db.all<ApplicationRow>(`SELECT ${APPLICATION_COLUMNS} FROM applications WHERE organization_id = ? ORDER BY created_at, id`, [organizationId]);
    return rows.map(applicationFromRow);
  }

  async updateApplication(application: Application): Promise<void> {
    await this.db.run(`UPDATE applications SET ${assignmentsOf(APPLICATION_COLUMNS)} WHERE id = ?`, [...applicationValues(application).slice(1), application.id]);
  }

  async deleteApplication(id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM api_keys WHERE application_id = ?', [id]);
      await tx.run('DELETE FROM group_members WHERE member_id = ?', [id]);
      await tx.run('UPDATE policies SET application_id = NULL WHERE application_id = ?', [id]);
      await tx.run('DELETE FROM applications WHERE id = ?', [id]);
    });
  }

  async insertPolicy(policy: Policy): Promise<void> {
    await this.db.run(insertSql('policies', POLICY_COLUMNS), policyValues(policy));
  }

  async getPolicy(id: string): Promise<Policy | null> {
    const row = await this.db.get<PolicyRow>(`SELECT ${POLICY_COLUMNS} FROM policies WHERE id = ?`, [id]);
    return row ? policyFromRow(row) : null;
  }

  async listPolicies(organizationId: string): Promise<Policy[]> {
    const rows = await this.db.all<PolicyRow>(`SELECT ${POLICY_COLUMNS} FROM policies WHERE organization_id = ? ORDER BY created_at, id`, [organizationId]);
    return rows.map(policyFromRow);
  }

  async policiesOf(principalIds: readonly string[]): Promise<Policy[]> {
    if (principalIds.length === 0) {
      return [];
    }
    const list = principalIds.map(() => '?').join(', ');
    const rows = await this.db.all<PolicyRow>(
      `SELECT ${POLICY_COLUMNS} FROM policies WHERE application_id IN (${list}) OR user_id IN (${list}) OR group_id IN (${list}) ORDER BY created_at, id`,
      [...principalIds, ...principalIds, ...principalIds],
    );
    return rows.map(policyFromRow);
  }

  async updatePolicy(policy: Policy): Promise<void> {
    // Organization and creation time do not change; writing them back as they are is harmless.
    await this.db.run(`UPDATE policies SET ${POLICY_ASSIGNMENTS} WHERE id = ?`, [...policyValues(policy).slice(1), policy.id]);
  }

  async deletePolicy(id: string): Promise<void> {
    await this.db.run('DELETE FROM policies WHERE id = ?', [id]);
  }

  async insertApiKey(apiKey: ApiKeyRecord): Promise<void> {
    try {
      await this.db.run(INSERT_API_KEY, apiKeyValues(apiKey));
    } catch (error) {
      throw error instanceof UniqueViolation ? alreadyExists('api_key', apiKey.accessKey, 'an API key with this access key exists already') : error;
    }
  }

  async getApiKey(accessKey: string): Promise<ApiKeyRecord | null> {
    const row = await this.db.get<ApiKeyRow>(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE access_key = ?`, [accessKey]);
    return row ? apiKeyFromRow(row) : null;
  }

  async listApiKeys(organizationId: string): Promise<ApiKeyRecord[]> {
    const rows = await this.db.all<ApiKeyRow>(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE organization_id = ? ORDER BY created_at, access_key`, [organizationId]);
    return rows.map(apiKeyFromRow);
  }

  async updateApiKey(apiKey: ApiKeyRecord): Promise<void> {
    await this.db.run('UPDATE api_keys SET description = ?, default_project_id = ?, expires_at = ? WHERE access_key = ?', [
      apiKey.description,
      apiKey.defaultProjectId,
      apiKey.expiresAt,
      apiKey.accessKey,
    ]);
  }

  async deleteApiKey(accessKey: string): Promise<void> {
    await this.db.run('DELETE FROM api_keys WHERE access_key = ?', [accessKey]);
  }
}
