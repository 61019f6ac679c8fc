import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { it } from 'node:test';
import type { ApiKeyRecord, Group, Policy, Project, User } from '../../core/iam/index.js';
import { buildSecret, withCode, type StorageRef } from './fixtures.js';

const user = (organizationId: string, email = `${randomBytes(4).toString('hex')}@example.com`): User => ({
  id: randomUUID(),
  organizationId,
  email,
  username: 'ada',
  firstName: 'Ada',
  lastName: 'Lovelace',
  passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
  type: 'member',
  tags: ['ops'],
  createdAt: 1,
  updatedAt: 2,
  lastLoginAt: null,
});

const group = (organizationId: string, members: Group['members'] = []): Group => ({
  id: randomUUID(),
  organizationId,
  name: 'operators',
  description: 'on call',
  tags: [],
  members,
  createdAt: 3,
  updatedAt: 4,
});

const policyFor = (organizationId: string, principal: Policy['principal']): Policy => ({
  id: randomUUID(),
  organizationId,
  name: 'p',
  description: '',
  tags: [],
  principal,
  rules: [{ id: randomUUID(), permissionSetNames: ['OrganizationManager'], projectIds: null }],
  createdAt: 5,
  updatedAt: 6,
});

const userKey = (organizationId: string, userId: string, defaultProjectId: string = randomUUID()): ApiKeyRecord => ({
  accessKey: `SCW${randomBytes(9).toString('hex').toUpperCase().slice(0, 17)}`,
  secretKeyHash: randomBytes(32),
  organizationId,
  defaultProjectId,
  description: 'laptop',
  role: 'user',
  applicationId: null,
  userId,
  createdAt: 7,
  expiresAt: null,
});

const newOrganization = async (storage: StorageRef): Promise<string> => {
  const id = randomUUID();
  await storage().iam.insertOrganization({ id, name: 'org', createdAt: 0 });
  return id;
};

export const iamUserCases = (storage: StorageRef): void => {
  it('keeps users, finds them by email in any case, refuses a second user with the same email', async () => {
    const organizationId = await newOrganization(storage);
    const ada = user(organizationId);
    await storage().iam.insertUser(ada);
    assert.deepEqual(await storage().iam.getUser(ada.id), ada);
    assert.deepEqual(await storage().iam.findUserByEmail(ada.email.toUpperCase()), ada);
    assert.deepEqual(await storage().iam.listUsers(organizationId), [ada]);
    await assert.rejects(storage().iam.insertUser({ ...user(organizationId), email: ada.email }), withCode('already_exists'));
    const renamed = { ...ada, firstName: 'Augusta', lastLoginAt: 9, updatedAt: 10 };
    await storage().iam.updateUser(renamed);
    assert.deepEqual(await storage().iam.getUser(ada.id), renamed);
  });

  it('keeps groups with ordered members of every kind, and lists them per organization', async () => {
    const organizationId = await newOrganization(storage);
    const inner = group(organizationId);
    await storage().iam.insertGroup(inner);
    const outer = {
      ...group(organizationId, [
        { kind: 'user', id: randomUUID() },
        { kind: 'group', id: inner.id },
        { kind: 'application', id: randomUUID() },
      ]),
      createdAt: 5,
    };
    await storage().iam.insertGroup(outer);
    assert.deepEqual(await storage().iam.getGroup(outer.id), outer);
    assert.deepEqual(await storage().iam.listGroups(organizationId), [inner, outer]);
    const changed = { ...outer, name: 'renamed', members: [{ kind: 'group' as const, id: inner.id }], updatedAt: 11 };
    await storage().iam.updateGroup(changed);
    assert.deepEqual(await storage().iam.getGroup(outer.id), changed);
    await storage().iam.deleteGroup(inner.id);
    assert.equal(await storage().iam.getGroup(inner.id), null);
    assert.deepEqual((await storage().iam.getGroup(outer.id))?.members, [], 'a deleted group leaves the groups it was in');
  });

  it('finds the policies of users and groups; deleting a user takes its keys and memberships and detaches its policies', async () => {
    const organizationId = await newOrganization(storage);
    const ada = user(organizationId);
    await storage().iam.insertUser(ada);
    const team = group(organizationId, [{ kind: 'user', id: ada.id }]);
    await storage().iam.insertGroup(team);
    const own = policyFor(organizationId, { kind: 'user', id: ada.id });
    const shared = { ...policyFor(organizationId, { kind: 'group', id: team.id }), createdAt: 8 };
    await storage().iam.insertPolicy(own);
    await storage().iam.insertPolicy(shared);
    assert.deepEqual(await storage().iam.policiesOf([ada.id, team.id]), [own, shared]);
    assert.deepEqual(await storage().iam.policiesOf([]), []);
    const key = userKey(organizationId, ada.id);
    await storage().iam.insertApiKey(key);
    assert.deepEqual(await storage().iam.getApiKey(key.accessKey), key);

    await storage().iam.deleteUser(ada.id);
    assert.equal(await storage().iam.getUser(ada.id), null);
    assert.equal(await storage().iam.getApiKey(key.accessKey), null, 'the key went with its user');
    assert.deepEqual((await storage().iam.getGroup(team.id))?.members, []);
    assert.equal((await storage().iam.getPolicy(own.id))?.principal, null);
    await storage().iam.deleteGroup(team.id);
    assert.equal((await storage().iam.getPolicy(shared.id))?.principal, null);
  });

  it('updates applications, API keys and projects, and deletes only an empty project no key defaults to', async () => {
    const organizationId = await newOrganization(storage);
    const now = { createdAt: 1, updatedAt: 1 };
    const project: Project = { id: randomUUID(), organizationId, name: 'p', description: '', ...now };
    await storage().iam.insertProject(project);
    const renamed = { ...project, name: 'renamed', updatedAt: 2 };
    await storage().iam.updateProject(renamed);
    assert.deepEqual(await storage().iam.getProject(project.id), renamed);

    const application = { id: randomUUID(), organizationId, name: 'a', description: '', tags: [], ...now };
    await storage().iam.insertApplication(application);
    await storage().iam.updateApplication({ ...application, name: 'b', tags: ['x'], updatedAt: 3 });
    assert.equal((await storage().iam.getApplication(application.id))?.name, 'b');

    const ada = user(organizationId);
    await storage().iam.insertUser(ada);
    const key = userKey(organizationId, ada.id, project.id);
    await storage().iam.insertApiKey(key);
    await assert.rejects(storage().iam.deleteProject(project.id), withCode('failed_precondition'));
    const moved = { ...key, description: 'moved', defaultProjectId: randomUUID(), expiresAt: 99 };
    await storage().iam.updateApiKey(moved);
    assert.deepEqual(await storage().iam.getApiKey(key.accessKey), moved);

    const secret = buildSecret({ organizationId, projectId: project.id });
    await storage().secrets.insertSecret(secret);
    await assert.rejects(storage().iam.deleteProject(project.id), withCode('failed_precondition'));
    assert.ok(await storage().iam.getProject(project.id), 'a refused deletion changes nothing');
    const empty: Project = { ...project, id: randomUUID() };
    await storage().iam.insertProject(empty);
    await storage().iam.deleteProject(empty.id);
    assert.equal(await storage().iam.getProject(empty.id), null);
  });
};
