import { randomUUID } from 'node:crypto';
import type { Clock } from '../../shared/clock.js';
import { invalidField, notFound } from '../../shared/errors.js';
import { isUuid, newId } from '../../shared/ids.js';
import { checkAuthorization } from './authorization.js';
import { generateAccessKey, hashSecretKey } from './iam-service.js';
import type { Actor, ApiKeyRecord, Application, Policy, PolicyRule, Project } from './iam-model.js';
import type { IamStore } from './iam-store.js';
import { PERMISSION_SETS, permissionSetNamed, ROLE_BUNDLES } from './permission-sets.js';
import { parseRuleCondition } from './rule-conditions.js';

export interface RuleInput {
  permissionSetNames: string[];
  projectIds: string[] | null;
  /** `secret.path matches "/prod/*"`, alternatives joined by `||`; empty: no condition. */
  condition: string;
}


export interface PolicyInput {
  name: string;
  description: string;
  tags: string[];
  applicationId: string | null;
  rules: RuleInput[];
}

export interface ApiKeyInput {
  applicationId: string;
  defaultProjectId: string | null;
  description: string;
  expiresAt: number | null;
}

const MAX_NAME = 64;
const MAX_DESCRIPTION = 200;

const validateText = (field: string, value: string, max: number, required: boolean): string => {
  if ((required && value.trim() === '') || value.length > max || value.includes('\u0000')) {
    throw invalidField(field, 'constraint', `${field} must be ${required ? '1' : '0'}-${max} characters`);
  }
  return value;
};

/** Applications, policies and API keys of the caller's organization. */
export const createIamAdminService = ({ store, clock }: { store: IamStore; clock: Clock }) => {
  const allow = (actor: Actor, action: 'iam:read' | 'iam:write') => checkAuthorization(actor, action, { organizationId: actor.organizationId });

  const ownApplication = async (actor: Actor, id: string): Promise<Application> => {
    const application = isUuid(id) ? await store.getApplication(id) : null;
    if (!application || application.organizationId !== actor.organizationId) {
      throw notFound('application', id);
    }
    return application;
  };

  const ownPolicy = async (actor: Actor, id: string): Promise<Policy> => {
    const policy = isUuid(id) ? await store.getPolicy(id) : null;
    if (!policy || policy.organizationId !== actor.organizationId) {
      throw notFound('policy', id);
    }
    return policy;
  };

  const ownApiKey = async (actor: Actor, accessKey: string): Promise<ApiKeyRecord> => {
    const record = await store.getApiKey(accessKey);
    if (!record || record.organizationId !== actor.organizationId) {
      throw notFound('api_key', accessKey);
    }
    return record;
  };

  const validateRules = async (actor: Actor, rules: RuleInput[]): Promise<PolicyRule[]> => {
    const projects = new Set((await store.listProjects(actor.organizationId)).map((project) => project.id));
    return rules.map((rule, index) => {
      if (rule.permissionSetNames.length === 0) {
        throw invalidField(`rules.${index}.permission_set_names`, 'required', 'a rule needs at least one permission set');
      }
      for (const name of rule.permissionSetNames) {
        const set = permissionSetNamed(name);
        if (!set) {
          throw invalidField(`rules.${index}.permission_set_names`, 'constraint', `unknown permission set "${name.slice(0, 64)}"`);
        }
        if (set.scopeType === 'organization' && rule.projectIds !== null) {
          throw invalidField(`rules.${index}.project_ids`, 'constraint', `permission set ${name} applies to the organization only`);
        }
      }
      for (const projectId of rule.projectIds ?? []) {
        if (!projects.has(projectId)) {
          throw invalidField(`rules.${index}.project_ids`, 'constraint', `project ${projectId.slice(0, 64)} is not in this organization`);
        }
      }
      const limits = parseRuleCondition(rule.condition, `rules.${index}.condition`);
      return { id: newId(), permissionSetNames: [...new Set(rule.permissionSetNames)], projectIds: rule.projectIds, ...limits };
    });
  };

  /** The organization's projects the caller has any right in; all of them for an admin. */
  const visibleProjects = async (actor: Actor): Promise<Project[]> => {
    const projects = await store.listProjects(actor.organizationId);
    if (actor.grants === null || actor.grants.some((grant) => grant.projectIds === null)) {
      return projects;
    }
    const visible = new Set(actor.grants.flatMap((grant) => grant.projectIds ?? []));
    return projects.filter((project) => visible.has(project.id));
  };

  return {
    listPermissionSets: (actor: Actor) => {
      allow(actor, 'iam:read');
      return [...PERMISSION_SETS, ...ROLE_BUNDLES];
    },

    async createProject(actor: Actor, input: { name: string; description: string }): Promise<Project> {
      checkAuthorization(actor, 'projects:project:create', { organizationId: actor.organizationId });
      const now = clock.nowMicros();
      const project: Project = {
        id: newId(),
        organizationId: actor.organizationId,
        name: validateText('name', input.name, MAX_NAME, true),
        description: validateText('description', input.description, MAX_DESCRIPTION, false),
        createdAt: now,
        updatedAt: now,
      };
      await store.insertProject(project);
      return project;
    },
    listProjects: visibleProjects,
    async getProject(actor: Actor, id: string): Promise<Project> {
      const project = (await visibleProjects(actor)).find((candidate) => candidate.id === id);
      if (!project) {
        throw notFound('project', id);
      }
      return project;
    },

    async createApplication(actor: Actor, input: { name: string; description: string; tags: string[] }): Promise<Application> {
      allow(actor, 'iam:write');
      const now = clock.nowMicros();
      const application: Application = {
        id: newId(),
        organizationId: actor.organizationId,
        name: validateText('name', input.name, MAX_NAME, true),
        description: validateText('description', input.description, MAX_DESCRIPTION, false),
        tags: input.tags,
        createdAt: now,
        updatedAt: now,
      };
      await store.insertApplication(application);
      return application;
    },
    getApplication: async (actor: Actor, id: string) => {
      allow(actor, 'iam:read');
      return ownApplication(actor, id);
    },
    listApplications: async (actor: Actor) => {
      allow(actor, 'iam:read');
      return store.listApplications(actor.organizationId);
    },
    async deleteApplication(actor: Actor, id: string): Promise<void> {
      allow(actor, 'iam:write');
      await ownApplication(actor, id);
      await store.deleteApplication(id);
    },

    async createPolicy(actor: Actor, input: PolicyInput): Promise<Policy> {
      allow(actor, 'iam:write');
      if (input.applicationId !== null) {
        await ownApplication(actor, input.applicationId);
      }
      const now = clock.nowMicros();
      const policy: Policy = {
        id: newId(),
        organizationId: actor.organizationId,
        name: validateText('name', input.name, MAX_NAME, true),
        description: validateText('description', input.description, MAX_DESCRIPTION, false),
        tags: input.tags,
        applicationId: input.applicationId,
        rules: await validateRules(actor, input.rules),
        createdAt: now,
        updatedAt: now,
      };
      await store.insertPolicy(policy);
      return policy;
    },
    async getPolicy(actor: Actor, id: string): Promise<Policy> {
      allow(actor, 'iam:read');
      return ownPolicy(actor, id);
    },
    listPolicies: async (actor: Actor) => {
      allow(actor, 'iam:read');
      return store.listPolicies(actor.organizationId);
    },
    /** Changes what is given: name, description, tags, the principal (null detaches), or the whole rule list. */
    async updatePolicy(
      actor: Actor,
      id: string,
      changes: { name?: string; description?: string; tags?: string[]; applicationId?: string | null; rules?: RuleInput[] },
    ): Promise<Policy> {
      allow(actor, 'iam:write');
      const policy = await ownPolicy(actor, id);
      if (changes.applicationId) {
        await ownApplication(actor, changes.applicationId);
      }
      const updated: Policy = {
        ...policy,
        name: changes.name === undefined ? policy.name : validateText('name', changes.name, MAX_NAME, true),
        description: changes.description === undefined ? policy.description : validateText('description', changes.description, MAX_DESCRIPTION, false),
        tags: changes.tags ?? policy.tags,
        applicationId: changes.applicationId === undefined ? policy.applicationId : changes.applicationId,
        rules: changes.rules === undefined ? policy.rules : await validateRules(actor, changes.rules),
        updatedAt: clock.nowMicros(),
      };
      await store.updatePolicy(updated);
      return updated;
    },

    async deletePolicy(actor: Actor, id: string): Promise<void> {
      allow(actor, 'iam:write');
      await ownPolicy(actor, id);
      await store.deletePolicy(id);
    },

    /** The secret key exists only in this answer; the store keeps its hash. */
    async createApiKey(actor: Actor, input: ApiKeyInput): Promise<{ record: ApiKeyRecord; secretKey: string }> {
      allow(actor, 'iam:write');
      await ownApplication(actor, input.applicationId);
      const projects = new Set((await store.listProjects(actor.organizationId)).map((project) => project.id));
      const defaultProjectId = input.defaultProjectId ?? actor.defaultProjectId;
      if (!projects.has(defaultProjectId)) {
        throw invalidField('default_project_id', 'constraint', 'default_project_id must be a project of this organization');
      }
      if (input.expiresAt !== null && input.expiresAt <= clock.nowMicros()) {
        throw invalidField('expires_at', 'constraint', 'expires_at must be in the future');
      }
      const secretKey = randomUUID();
      const record: ApiKeyRecord = {
        accessKey: generateAccessKey(),
        secretKeyHash: hashSecretKey(secretKey),
        organizationId: actor.organizationId,
        defaultProjectId,
        description: validateText('description', input.description, MAX_DESCRIPTION, false),
        role: 'application',
        applicationId: input.applicationId,
        createdAt: clock.nowMicros(),
        expiresAt: input.expiresAt,
      };
      await store.insertApiKey(record);
      return { record, secretKey };
    },
    async getApiKey(actor: Actor, accessKey: string): Promise<ApiKeyRecord> {
      allow(actor, 'iam:read');
      return ownApiKey(actor, accessKey);
    },
    listApiKeys: async (actor: Actor) => {
      allow(actor, 'iam:read');
      return store.listApiKeys(actor.organizationId);
    },
    async deleteApiKey(actor: Actor, accessKey: string): Promise<void> {
      allow(actor, 'iam:write');
      await ownApiKey(actor, accessKey);
      await store.deleteApiKey(accessKey);
    },
  };
};

export type IamAdminService = ReturnType<typeof createIamAdminService>;
