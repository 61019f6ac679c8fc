import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Group, Policy, User } from './iam-model.js';
import { groupsContaining, membershipCycle, organizationManagers } from './principals.js';

const group = (id: string, members: Group['members'] = []): Group => ({
  id,
  organizationId: 'o',
  name: id,
  description: '',
  tags: [],
  members,
  createdAt: 0,
  updatedAt: 0,
});
const user = (id: string, type: User['type'] = 'member'): User => ({
  id,
  organizationId: 'o',
  email: `${id}@example.com`,
  username: id,
  firstName: '',
  lastName: '',
  passwordHash: null,
  type,
  tags: [],
  createdAt: 0,
  updatedAt: 0,
  lastLoginAt: null,
});
const managerPolicy = (principal: Policy['principal'], rule: Partial<Policy['rules'][number]> = {}): Policy => ({
  id: `p-${principal?.id ?? 'none'}`,
  organizationId: 'o',
  name: 'm',
  description: '',
  tags: [],
  principal,
  rules: [{ id: 'r', permissionSetNames: ['OrganizationManager'], projectIds: null, ...rule }],
  createdAt: 0,
  updatedAt: 0,
});

describe('principals', () => {
  it('finds every group holding a principal, through nesting, and stops on loops', () => {
    const groups = [group('a', [{ kind: 'group', id: 'b' }]), group('b', [{ kind: 'user', id: 'u' }]), group('c'), group('x', [{ kind: 'group', id: 'y' }]), group('y', [{ kind: 'group', id: 'x' }])];
    assert.deepEqual(groupsContaining(groups, 'u').map((found) => found.id).sort(), ['a', 'b']);
    assert.deepEqual(groupsContaining(groups, 'x').map((found) => found.id).sort(), ['x', 'y']);
    assert.deepEqual(groupsContaining(groups, 'nobody'), []);
  });

  it('names the loop a new membership would close, and allows what closes none', () => {
    const groups = [group('a', [{ kind: 'group', id: 'b' }]), group('b', [{ kind: 'group', id: 'c' }]), group('c')];
    assert.deepEqual(membershipCycle(groups, 'c', [{ kind: 'group', id: 'a' }]), ['c', 'a', 'b', 'c']);
    assert.deepEqual(membershipCycle(groups, 'a', [{ kind: 'group', id: 'a' }]), ['a', 'a']);
    assert.deepEqual(membershipCycle(groups, 'a', [{ kind: 'group', id: 'c' }, { kind: 'user', id: 'a' }]), []);
  });

  it('counts owners and users holding OrganizationManager organization-wide, directly or through groups', () => {
    const users = [user('owner', 'owner'), user('direct'), user('grouped'), user('scoped'), user('none')];
    const groups = [group('g', [{ kind: 'group', id: 'h' }]), group('h', [{ kind: 'user', id: 'grouped' }])];
    const policies = [
      managerPolicy({ kind: 'user', id: 'direct' }),
      managerPolicy({ kind: 'group', id: 'g' }),
      managerPolicy({ kind: 'user', id: 'scoped' }, { pathPrefixes: ['/prod/'] }),
      managerPolicy(null),
    ];
    assert.deepEqual(organizationManagers({ users, groups, policies }), ['owner', 'direct', 'grouped']);
  });
});
