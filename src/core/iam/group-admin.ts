import type { Clock } from '../../shared/clock.js';
import { invalidField } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { Actor, Group, Principal } from './iam-model.js';
import type { IamStore } from './iam-store.js';
import { createIamLookups, MAX_DESCRIPTION, MAX_NAME, validateText } from './iam-lookups.js';
import { membershipCycle } from './principals.js';

export interface GroupInput {
  name: string;
  description: string;
  tags: string[];
}

const MAX_MEMBERS = 1000;
const samePrincipal = (a: Principal, b: Principal) => a.kind === b.kind && a.id === b.id;

/** Groups of users, applications and other groups, whose policies their members hold. */
export const createGroupAdmin = ({ store, clock }: { store: IamStore; clock: Clock }) => {
  const lookups = createIamLookups(store);
  const { allow, ownGroup } = lookups;

  /**
   * Every member must exist in the organization, no group may end up inside itself,
   * and the organization must keep a manager.
   */
  const replaceMembers = async (actor: Actor, group: Group, members: Principal[]): Promise<Group> => {
    const unique = members.filter((member, index) => members.findIndex((other) => samePrincipal(member, other)) === index);
    if (unique.length > MAX_MEMBERS) {
      throw invalidField('members', 'constraint', `a group holds at most ${MAX_MEMBERS} members`);
    }
    for (const member of unique) {
      await lookups.ownPrincipal(actor, member);
    }
    const cycle = membershipCycle(await store.listGroups(actor.organizationId), group.id, unique);
    if (cycle.length > 0) {
      throw invalidField('group_ids', 'constraint', `circular group membership: ${cycle.join(' contains ')}`);
    }
    await lookups.keepAManager(actor, (state) => ({
      ...state,
      groups: state.groups.map((candidate) => (candidate.id === group.id ? { ...candidate, members: unique } : candidate)),
    }));
    const updated = { ...group, members: unique, updatedAt: clock.nowMicros() };
    await store.updateGroup(updated);
    return updated;
  };

  return {
    async createGroup(actor: Actor, input: GroupInput): Promise<Group> {
      allow(actor, 'iam:write');
      const now = clock.nowMicros();
      const group: Group = {
        id: newId(),
        organizationId: actor.organizationId,
        name: validateText('name', input.name, MAX_NAME, true),
        description: validateText('description', input.description, MAX_DESCRIPTION, false),
        tags: input.tags,
        members: [],
        createdAt: now,
        updatedAt: now,
      };
      await store.insertGroup(group);
      return group;
    },
    getGroup: async (actor: Actor, id: string) => {
      allow(actor, 'iam:read');
      return ownGroup(actor, id);
    },
    listGroups: async (actor: Actor) => {
      allow(actor, 'iam:read');
      return store.listGroups(actor.organizationId);
    },
    async updateGroup(actor: Actor, id: string, changes: Partial<GroupInput>): Promise<Group> {
      allow(actor, 'iam:write');
      const group = await ownGroup(actor, id);
      const updated: Group = {
        ...group,
        name: changes.name === undefined ? group.name : validateText('name', changes.name, MAX_NAME, true),
        description: changes.description === undefined ? group.description : validateText('description', changes.description, MAX_DESCRIPTION, false),
        tags: changes.tags ?? group.tags,
        updatedAt: clock.nowMicros(),
      };
      await store.updateGroup(updated);
      return updated;
    },
    async setMembers(actor: Actor, id: string, members: Principal[]): Promise<Group> {
      allow(actor, 'iam:write');
      return replaceMembers(actor, await ownGroup(actor, id), members);
    },
    async addMembers(actor: Actor, id: string, members: Principal[]): Promise<Group> {
      allow(actor, 'iam:write');
      const group = await ownGroup(actor, id);
      return replaceMembers(actor, group, [...group.members, ...members]);
    },
    async removeMembers(actor: Actor, id: string, members: Principal[]): Promise<Group> {
      allow(actor, 'iam:write');
      const group = await ownGroup(actor, id);
      return replaceMembers(
        actor,
        group,
        group.members.filter((member) => !members.some((gone) => samePrincipal(member, gone))),
      );
    },
    async deleteGroup(actor: Actor, id: string): Promise<void> {
      allow(actor, 'iam:write');
      await ownGroup(actor, id);
      await lookups.keepAManager(actor, (state) => ({
        ...state,
        groups: state.groups.filter((group) => group.id !== id),
        policies: state.policies.map((policy) => (policy.principal?.id === id ? { ...policy, principal: null } : policy)),
      }));
      await store.deleteGroup(id);
    },
  };
};

export type GroupAdmin = ReturnType<typeof createGroupAdmin>;
