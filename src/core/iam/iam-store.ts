import type { ApiKeyRecord, Application, Organization, Policy, Project } from './iam-model.js';

/** Persistence of organizations, projects, applications, policies and API keys. */
export interface IamStore {
  /**
   * Creates the first organization, project and admin key in one transaction, unless
   * bootstrap already happened (on any process). Returns whether it created them.
   */
  bootstrap(organization: Organization, project: Project, apiKey: ApiKeyRecord): Promise<boolean>;
  /** A further organization (bootstrap makes the first). */
  insertOrganization(organization: Organization): Promise<void>;
  findApiKeyBySecretHash(secretKeyHash: Uint8Array): Promise<ApiKeyRecord | null>;
  getProject(id: string): Promise<Project | null>;
  insertProject(project: Project): Promise<void>;
  listProjects(organizationId: string): Promise<Project[]>;

  insertApplication(application: Application): Promise<void>;
  getApplication(id: string): Promise<Application | null>;
  listApplications(organizationId: string): Promise<Application[]>;
  /** Removes the application with its API keys, and detaches its policies, in one step. */
  deleteApplication(id: string): Promise<void>;

  insertPolicy(policy: Policy): Promise<void>;
  getPolicy(id: string): Promise<Policy | null>;
  listPolicies(organizationId: string): Promise<Policy[]>;
  policiesOfApplication(applicationId: string): Promise<Policy[]>;
  /** Replaces a policy's name, description, tags, principal and rules. */
  updatePolicy(policy: Policy): Promise<void>;
  deletePolicy(id: string): Promise<void>;

  insertApiKey(apiKey: ApiKeyRecord): Promise<void>;
  getApiKey(accessKey: string): Promise<ApiKeyRecord | null>;
  listApiKeys(organizationId: string): Promise<ApiKeyRecord[]>;
  deleteApiKey(accessKey: string): Promise<void>;
}
