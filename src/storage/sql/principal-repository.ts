import type { Group, PrincipalStore, User } from '../../core/iam/index.js';
import { alreadyExists } from '../../shared/errors.js';
import { assignmentsOf, insertSql } from './iam-rows.js';
import {
  GROUP_COLUMNS,
  groupFromRow,
  groupValues,
  USER_COLUMNS,
  userFromRow,
  userValues,
  type GroupRow,
  type MemberRow,
  type UserRow,
} from './principal-rows.js';
import { UniqueViolation, type SqlDriver, type SqlExecutor } from './sql-driver.js';

const MEMBER_COLUMNS = 'm.group_id, m.member_kind, m.member_id';

/** Users and groups over SQL; the IAM store builds on it. */
export class SqlPrincipalStore implements PrincipalStore {
  constructor(protected readonly db: SqlDriver) {}

  async insertUser(user: User): Promise<void> {
    try {
      await this.db.run(insertSql('users', USER_COLUMNS), userValues(user));
    } catch (error) {
      throw error instanceof UniqueViolation ? alreadyExists('user', user.email, 'a user with this email exists already') : error;
    }
  }

  async getUser(id: string): Promise<User | null> {
    const row = await this.db.get<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`, [id]);
    return row ? userFromRow(row) : null;
  }

  async findUserByEmail(email: string): Promise<User | null> {
    const row = await this.db.get<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE email = ?`, [email.toLowerCase()]);
    return row ? userFromRow(row) : null;
  }

  async listUsers(organizationId: string): Promise<User[]> {
    const rows = await this.db.all<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE organization_id = ? ORDER BY created_at, id`, [organizationId]);
    return rows.map(userFromRow);
  }

  async updateUser(user: User): Promise<void> {
    try {
      await this.db.run(`UPDATE users SET ${assignmentsOf(USER_COLUMNS)} WHERE id = ?`, [...userValues(user).slice(1), user.id]);
    } catch (error) {
      throw error instanceof UniqueViolation ? alreadyExists('user', user.email, 'a user with this email exists already') : error;
    }
  }

  async deleteUser(id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM api_keys WHERE user_id = ?', [id]);
      await tx.run('DELETE FROM group_members WHERE member_id = ?', [id]);
      await tx.run('UPDATE policies SET user_id = NULL WHERE user_id = ?', [id]);
      await tx.run('DELETE FROM users WHERE id = ?', [id]);
    });
  }

  async insertGroup(group: Group): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(insertSql('iam_groups', GROUP_COLUMNS), groupValues(group));
      await this.writeMembers(tx, group);
    });
  }

  async getGroup(id: string): Promise<Group | null> {
    const row = await this.db.get<GroupRow>(`SELECT ${GROUP_COLUMNS} FROM iam_groups WHERE id = ?`, [id]);
    if (!row) {
      return null;
    }
    const members = await this.db.all<MemberRow>(`SELECT ${MEMBER_COLUMNS} FROM group_members m WHERE m.group_id = ? ORDER BY m.position`, [id]);
    return groupFromRow(row, members);
  }

  async listGroups(organizationId: string): Promise<Group[]> {
    const rows = await this.db.all<GroupRow>(`SELECT ${GROUP_COLUMNS} FROM iam_groups WHERE organization_id = ? ORDER BY created_at, id`, [organizationId]);
    if (rows.length === 0) {
      return [];
    }
    const members = await this.db.all<MemberRow>(
      `SELECT ${MEMBER_COLUMNS} FROM group_members m JOIN iam_groups g ON g.id = m.group_id WHERE g.organization_id = ? ORDER BY m.group_id, m.position`,
      [organizationId],
    );
    return rows.map((row) => groupFromRow(row, members));
  }

  async updateGroup(group: Group): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(`UPDATE iam_groups SET ${assignmentsOf(GROUP_COLUMNS)} WHERE id = ?`, [...groupValues(group).slice(1), group.id]);
      await tx.run('DELETE FROM group_members WHERE group_id = ?', [group.id]);
      await this.writeMembers(tx, group);
    });
  }

  async deleteGroup(id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM group_members WHERE group_id = ? OR member_id = ?', [id, id]);
      await tx.run('UPDATE policies SET group_id = NULL WHERE group_id = ?', [id]);
      await tx.run('DELETE FROM iam_groups WHERE id = ?', [id]);
    });
  }

  private async writeMembers(tx: SqlExecutor, group: Group): Promise<void> {
    for (const [position, member] of group.members.entries()) {
      await tx.run('INSERT INTO group_members (group_id, member_kind, member_id, position) VALUES (?, ?, ?, ?)', [group.id, member.kind, member.id, position]);
    }
  }
}
