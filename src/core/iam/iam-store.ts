import type { ApiKeyRecord, Organization, Project } from './iam-model.js';

/** Persistence of organizations, projects and API keys. */
export interface IamStore {
  /**
   * Creates the first organization, project and admin key in one transaction, unless
   * bootstrap already happened (on any process). Returns whether it created them.
   */
  bootstrap(organization: Organization, project: Project, apiKey: ApiKeyRecord): Promise<boolean>;
  findApiKeyBySecretHash(secretKeyHash: Uint8Array): Promise<ApiKeyRecord | null>;
  getProject(id: string): Promise<Project | null>;
  listProjects(organizationId: string): Promise<Project[]>;
}
