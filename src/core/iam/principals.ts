import type { Group, Policy, Principal, User } from './iam-model.js';

/** The groups that hold `principalId`, directly or through groups inside groups. */
export const groupsContaining = (groups: readonly Group[], principalId: string): Group[] => {
  const found = new Map<string, Group>();
  let frontier = [principalId];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const group of groups) {
      if (!found.has(group.id) && group.members.some((member) => frontier.includes(member.id))) {
        found.set(group.id, group);
        next.push(group.id);
      }
    }
    frontier = next;
  }
  return [...found.values()];
};

/**
 * The chain of groups that would close a loop if `groupId` took `members`: empty when
 * there is none. A group reaching itself would make membership endless.
 */
export const membershipCycle = (groups: readonly Group[], groupId: string, members: readonly Principal[]): string[] => {
  const byId = new Map(groups.map((group) => [group.id, group]));
  const walk = (id: string, trail: string[]): string[] => {
    if (id === groupId) {
      return [...trail, id];
    }
    if (trail.includes(id)) {
      return [];
    }
    for (const member of byId.get(id)?.members ?? []) {
      if (member.kind === 'group') {
        const cycle = walk(member.id, [...trail, id]);
        if (cycle.length > 0) {
          return cycle;
        }
      }
    }
    return [];
  };
  for (const member of members) {
    if (member.kind === 'group') {
      const cycle = walk(member.id, [groupId]);
      if (cycle.length > 0) {
        return cycle;
      }
    }
  }
  return [];
};

export const ORGANIZATION_MANAGER = 'OrganizationManager';

/** Whether a policy grants OrganizationManager on the whole organization, with no condition narrowing it. */
const managesOrganization = (policy: Policy): boolean =>
  policy.rules.some(
    (rule) => rule.projectIds === null && !rule.pathPrefixes && !rule.ipRanges && rule.permissionSetNames.includes(ORGANIZATION_MANAGER),
  );

export interface OrganizationState {
  users: readonly User[];
  groups: readonly Group[];
  policies: readonly Policy[];
}

/**
 * The users who can manage the organization: owners, and users holding
 * OrganizationManager organization-wide through their own policies or a group's.
 */
export const organizationManagers = ({ users, groups, policies }: OrganizationState): string[] => {
  const managingPrincipals = new Set(policies.filter(managesOrganization).flatMap((policy) => (policy.principal ? [policy.principal.id] : [])));
  return users
    .filter(
      (user) =>
        user.type === 'owner' ||
        managingPrincipals.has(user.id) ||
        groupsContaining(groups, user.id).some((group) => managingPrincipals.has(group.id)),
    )
    .map((user) => user.id);
};
