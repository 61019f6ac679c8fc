import { randomUUID } from 'node:crypto';
import type { Clock } from '../../shared/clock.js';
import { invalidField } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { generateAccessKey, hashSecretKey } from './iam-service.js';
import type { Actor, ApiKeyRecord, Application, Policy, PolicyRule, Principal } from './iam-model.js';
import type { IamStore } from './iam-store.js';
import { createIamLookups, MAX_DESCRIPTION, MAX_NAME, validateText } from './iam-lookups.js';
import { createGroupAdmin } from './group-admin.js';
import { PERMISSION_SETS, permissionSetNamed, ROLE_BUNDLES } from './permission-sets.js';
import { createProjectAdmin } from './project-admin.js';
import { parseRuleCondition } from './rule-conditions.js';
import { createUserAdmin } from './user-admin.js';

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
  principal: Principal | null;
  rules: RuleInput[];
}

export interface ApiKeyInput {
  /** The application or user that owns the key. */
  owner: { kind: 'application' | 'user'; id: string };
  defaultProjectId: string | null;
  description: string;
  expiresAt: number | null;
}

export type ApiKeyChanges = Partial<Pick<ApiKeyInput, 'defaultProjectId' | 'description' | 'expiresAt'>>;

interface TaggedChanges {
  name?: string;
  description?: string;
  tags?: string[];
}

/** Applications, policies and API keys of the caller's organization, with its projects, users and groups. */
export const createIamAdminService = ({ store, clock }: { store: IamStore; clock: Clock }) => {
  const lookups = createIamLookups(store);
  const { allow, ownApplication, ownPolicy, ownApiKey } = lookups;

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

  const validateDefaultProject = async (actor: Actor, projectId: string): Promise<string> => {
    const projects = await store.listProjects(actor.organizationId);
    if (!projects.some((project) => project.id === projectId)) {
      throw invalidField('default_project_id', 'constraint', 'default_project_id must be a project of this organization');
    }
    return projectId;
  };

  const validateExpiry = (expiresAt: number | null): number | null => {
    if (expiresAt !== null && expiresAt <= clock.nowMicros()) {
      throw invalidField('expires_at', 'constraint', 'expires_at must be in the future');
    }
    return expiresAt;
  };

  const retagged = <T extends { name: string; description: string; tags: string[]; updatedAt: number }>(item: T, changes: TaggedChanges): T => ({
    ...item,
    name: changes.name === undefined ? item.name : validateText('name', changes.name, MAX_NAME, true),
    description: changes.description === undefined ? item.description : validateText('description', changes.description, MAX_DESCRIPTION, false),
    tags: changes.tags ?? item.tags,
    updatedAt: clock.nowMicros(),
  });

  return {
    ...createProjectAdmin({ store, clock }),
    ...createUserAdmin({ store, clock }),
    ...createGroupAdmin({ store, clock }),

    listPermissionSets: (actor: Actor) => {
      allow(actor, 'iam:read');
      return [...PERMISSION_SETS, ...ROLE_BUNDLES];
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
    async updateApplication(actor: Actor, id: string, changes: TaggedChanges): Promise<Application> {
      allow(actor, 'iam:write');
      const updated = retagged(await ownApplication(actor, id), changes);
      await store.updateApplication(updated);
      return updated;
    },
    async deleteApplication(actor: Actor, id: string): Promise<void> {
      allow(actor, 'iam:write');
      await ownApplication(actor, id);
      await store.deleteApplication(id);
    },

    async createPolicy(actor: Actor, input: PolicyInput): Promise<Policy> {
      allow(actor, 'iam:write');
      const now = clock.nowMicros();
      const policy: Policy = {
        id: newId(),
        organizationId: actor.organizationId,
        name: validateText('name', input.name, MAX_NAME, true),
        description: validateText('description', input.description, MAX_DESCRIPTION, false),
        tags: input.tags,
        principal: input.principal === null ? null : await lookups.ownPrincipal(actor, input.principal),
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
    async updatePolicy(actor: Actor, id: string, changes: TaggedChanges & { principal?: Principal | null; rules?: RuleInput[] }): Promise<Policy> {
      allow(actor, 'iam:write');
      const policy = await ownPolicy(actor, id);
      const updated: Policy = {
        ...retagged(policy, changes),
        principal: changes.principal === undefined ? policy.principal : changes.principal && (await lookups.ownPrincipal(actor, changes.principal)),
        rules: changes.rules === undefined ? policy.rules : await validateRules(actor, changes.rules),
      };
      await lookups.keepAManager(actor, (state) => ({ ...state, policies: state.policies.map((other) => (other.id === id ? updated : other)) }));
      await store.updatePolicy(updated);
      return updated;
    },
    async deletePolicy(actor: Actor, id: string): Promise<void> {
      allow(actor, 'iam:write');
      await ownPolicy(actor, id);
      await lookups.keepAManager(actor, (state) => ({ ...state, policies: state.policies.filter((policy) => policy.id !== id) }));
      await store.deletePolicy(id);
    },

    /** The secret key exists only in this answer; the store keeps its hash. */
    async createApiKey(actor: Actor, input: ApiKeyInput): Promise<{ record: ApiKeyRecord; secretKey: string }> {
      allow(actor, 'iam:write');
      await lookups.ownPrincipal(actor, input.owner);
      const secretKey = randomUUID();
      const record: ApiKeyRecord = {
        accessKey: generateAccessKey(),
        secretKeyHash: hashSecretKey(secretKey),
        organizationId: actor.organizationId,
        defaultProjectId: await validateDefaultProject(actor, input.defaultProjectId ?? actor.defaultProjectId),
        description: validateText('description', input.description, MAX_DESCRIPTION, false),
        role: input.owner.kind,
        applicationId: input.owner.kind === 'application' ? input.owner.id : null,
        userId: input.owner.kind === 'user' ? input.owner.id : null,
        createdAt: clock.nowMicros(),
        expiresAt: validateExpiry(input.expiresAt),
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
    async updateApiKey(actor: Actor, accessKey: string, changes: ApiKeyChanges): Promise<ApiKeyRecord> {
      allow(actor, 'iam:write');
      const record = await ownApiKey(actor, accessKey);
      const updated: ApiKeyRecord = {
        ...record,
        description: changes.description === undefined ? record.description : validateText('description', changes.description, MAX_DESCRIPTION, false),
        defaultProjectId: changes.defaultProjectId ? await validateDefaultProject(actor, changes.defaultProjectId) : record.defaultProjectId,
        expiresAt: changes.expiresAt === undefined ? record.expiresAt : validateExpiry(changes.expiresAt),
      };
      await store.updateApiKey(updated);
      return updated;
    },
    async deleteApiKey(actor: Actor, accessKey: string): Promise<void> {
      allow(actor, 'iam:write');
      await ownApiKey(actor, accessKey);
      await store.deleteApiKey(accessKey);
    },
  };
};

export type IamAdminService = ReturnType<typeof createIamAdminService>;
