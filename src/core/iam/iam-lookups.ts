import { invalidField, notFound, preconditionFailed } from '../../shared/errors.js';
import { isUuid } from '../../shared/ids.js';
import { checkAuthorization } from './authorization.js';
import type { Actor, ApiKeyRecord, Application, Group, Policy, Principal, User } from './iam-model.js';
import type { IamStore } from './iam-store.js';
import { organizationManagers, type OrganizationState } from './principals.js';

export const MAX_NAME = 64;
export const MAX_DESCRIPTION = 200;

export const validateText = (field: string, value: string, max: number, required: boolean): string => {
  if ((required && value.trim() === '') || value.length > max || value.includes('\u0000')) {
    throw invalidField(field, 'constraint', `${field} must be ${required ? '1' : '0'}-${max} characters`);
  }
  return value;
};

/**
 * Lookups of the caller's own IAM objects (another organization's look like missing
 * ones) and the guard that keeps an organization manageable.
 */
export const createIamLookups = (store: IamStore) => {
  const owned = <T extends { organizationId: string }>(actor: Actor, kind: string, id: string, found: T | null): T => {
    if (!found || found.organizationId !== actor.organizationId) {
      throw notFound(kind, id);
    }
    return found;
  };
  const byUuid = async <T>(id: string, load: (id: string) => Promise<T | null>): Promise<T | null> => (isUuid(id) ? load(id) : null);

  const lookups = {
    allow: (actor: Actor, action: 'iam:read' | 'iam:write') => checkAuthorization(actor, action, { organizationId: actor.organizationId }),
    ownApplication: async (actor: Actor, id: string): Promise<Application> =>
      owned(actor, 'application', id, await byUuid(id, (key) => store.getApplication(key))),
    ownPolicy: async (actor: Actor, id: string): Promise<Policy> => owned(actor, 'policy', id, await byUuid(id, (key) => store.getPolicy(key))),
    ownUser: async (actor: Actor, id: string): Promise<User> => owned(actor, 'user', id, await byUuid(id, (key) => store.getUser(key))),
    ownGroup: async (actor: Actor, id: string): Promise<Group> => owned(actor, 'group', id, await byUuid(id, (key) => store.getGroup(key))),
    ownApiKey: async (actor: Actor, accessKey: string): Promise<ApiKeyRecord> => owned(actor, 'api_key', accessKey, await store.getApiKey(accessKey)),

    /** Checks that a principal named in a request exists in the caller's organization. */
    async ownPrincipal(actor: Actor, principal: Principal): Promise<Principal> {
      if (principal.kind === 'application') {
        await lookups.ownApplication(actor, principal.id);
      } else if (principal.kind === 'user') {
        await lookups.ownUser(actor, principal.id);
      } else {
        await lookups.ownGroup(actor, principal.id);
      }
      return principal;
    },

    /**
     * Refuses a change that would leave an organization which has manager users with none:
     * nobody could then grant rights again but the bootstrap key's holder.
     */
    async keepAManager(actor: Actor, change: (state: OrganizationState) => OrganizationState): Promise<void> {
      const organizationId = actor.organizationId;
      const [users, groups, policies] = await Promise.all([store.listUsers(organizationId), store.listGroups(organizationId), store.listPolicies(organizationId)]);
      const before = { users, groups, policies };
      if (organizationManagers(before).length > 0 && organizationManagers(change(before)).length === 0) {
        throw preconditionFailed('last_organization_manager', 'this would remove the last organization manager: make another user an organization manager first');
      }
    },
  };
  return lookups;
};

export type IamLookups = ReturnType<typeof createIamLookups>;
