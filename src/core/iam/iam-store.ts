import type { ApiKeyRecord, Application, Group, Organization, Policy, Project, User } from './iam-model.js';

/** Users and groups: the principals besides applications. */
export interface PrincipalStore {
  /** Refuses a second user with the same email (case-insensitive) with `already_exists`. */
  insertUser(user: User): Promise<void>;
  getUser(id: string): Promise<User | null>;
  findUserByEmail(email: string): Promise<User | null>;
  listUsers(organizationId: string): Promise<User[]>;
  updateUser(user: User): Promise<void>;
  /** Removes the user with its API keys and group memberships, and detaches its policies, in one step. */
  deleteUser(id: string): Promise<void>;

  insertGroup(group: Group): Promise<void>;
  getGroup(id: string): Promise<Group | null>;
  /** Every group of the organization with its members: membership is resolved from this. */
  listGroups(organizationId: string): Promise<Group[]>;
  /** Replaces a group's name, description, tags and member list. */
  updateGroup(group: Group): Promise<void>;
  /** Removes the group, its memberships either way, and detaches its policies, in one step. */
  deleteGroup(id: string): Promise<void>;
}

/** Persistence of organizations, projects, principals, policies and API keys. */
export interface IamStore extends PrincipalStore {
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
  updateProject(project: Project): Promise<void>;
  /**
   * Deletes an empty project: refused with `failed_precondition` while it holds secrets
   * (even pending deletion) or is an API key's default project. Checked and done in one transaction.
   */
  deleteProject(id: string): Promise<void>;

  insertApplication(application: Application): Promise<void>;
  getApplication(id: string): Promise<Application | null>;
  listApplications(organizationId: string): Promise<Application[]>;
  updateApplication(application: Application): Promise<void>;
  /** Removes the application with its API keys and group memberships, and detaches its policies, in one step. */
  deleteApplication(id: string): Promise<void>;

  insertPolicy(policy: Policy): Promise<void>;
  getPolicy(id: string): Promise<Policy | null>;
  listPolicies(organizationId: string): Promise<Policy[]>;
  /** Policies attached to any of these principals (ids are unique across kinds). */
  policiesOf(principalIds: readonly string[]): Promise<Policy[]>;
  /** Replaces a policy's name, description, tags, principal and rules. */
  updatePolicy(policy: Policy): Promise<void>;
  deletePolicy(id: string): Promise<void>;

  insertApiKey(apiKey: ApiKeyRecord): Promise<void>;
  getApiKey(accessKey: string): Promise<ApiKeyRecord | null>;
  listApiKeys(organizationId: string): Promise<ApiKeyRecord[]>;
  /** Replaces a key's description, default project and expiry. */
  updateApiKey(apiKey: ApiKeyRecord): Promise<void>;
  deleteApiKey(accessKey: string): Promise<void>;
}
