import type { Group, Principal, User } from '../../core/iam/index.js';
import { AppError } from '../../shared/errors.js';
import type { SqlValue } from './sql-driver.js';

export interface UserRow {
  id: string;
  organization_id: string;
  email: string;
  username: string;
  first_name: string;
  last_name: string;
  password_hash: string | null;
  type: string;
  tags: string;
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
}

export const USER_COLUMNS = 'id, organization_id, email, username, first_name, last_name, password_hash, type, tags, created_at, updated_at, last_login_at';

/** Values in `USER_COLUMNS` order. */
export const userValues = (user: User): SqlValue[] => [
  user.id,
  user.organizationId,
  user.email,
  user.username,
  user.firstName,
  user.lastName,
  user.passwordHash,
  user.type,
  JSON.stringify(user.tags),
  user.createdAt,
  user.updatedAt,
  user.lastLoginAt,
];

export const userFromRow = (row: UserRow): User => {
  if (row.type !== 'owner' && row.type !== 'member') {
    throw new AppError('internal', 'a user has a type this version does not know');
  }
  return {
    id: row.id,
    organizationId: row.organization_id,
    email: row.email,
    username: row.username,
    firstName: row.first_name,
    lastName: row.last_name,
    passwordHash: row.password_hash,
    type: row.type,
    tags: JSON.parse(row.tags) as string[],
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    lastLoginAt: row.last_login_at === null ? null : Number(row.last_login_at),
  };
};

export interface GroupRow {
  id: string;
  organization_id: string;
  name: string;
  description: string;
  tags: string;
  created_at: number;
  updated_at: number;
}

export interface MemberRow {
  group_id: string;
  member_kind: string;
  member_id: string;
}

export const GROUP_COLUMNS = 'id, organization_id, name, description, tags, created_at, updated_at';

/** Values in `GROUP_COLUMNS` order; members live in their own table. */
export const groupValues = (group: Group): SqlValue[] => [
  group.id,
  group.organizationId,
  group.name,
  group.description,
  JSON.stringify(group.tags),
  group.createdAt,
  group.updatedAt,
];

const memberFromRow = (row: MemberRow): Principal => {
  if (row.member_kind !== 'user' && row.member_kind !== 'application' && row.member_kind !== 'group') {
    throw new AppError('internal', 'a group member has a kind this version does not know');
  }
  return { kind: row.member_kind, id: row.member_id };
};

export const groupFromRow = (row: GroupRow, members: readonly MemberRow[]): Group => ({
  id: row.id,
  organizationId: row.organization_id,
  name: row.name,
  description: row.description,
  tags: JSON.parse(row.tags) as string[],
  members: members.filter((member) => member.group_id === row.id).map(memberFromRow),
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
});
