import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createClient, Errors } from '@scaleway/sdk-client';
import { Accountv3 } from '@scaleway/sdk-account';
import { Iamv1alpha1 } from '@scaleway/sdk-iam';
import { Secretv1beta1 } from '@scaleway/sdk-secret';
import { startServer, type TestServer } from '../helpers/server.js';
import { uniqueName } from '../helpers/wire.js';

const refusal = async (promise: Promise<unknown>): Promise<{ status: number; body: Record<string, unknown> }> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Errors.ScalewayError) {
      return { status: error.status, body: error.body as Record<string, unknown> };
    }
    throw error;
  }
  return assert.fail('expected the call to be refused');
};

/** Users with passwords, groups (nested too), and policies attached to both, through Scaleway's own IAM SDK. */
describe('IAM: users, groups and their policies', () => {
  let server: TestServer;
  let iam: Iamv1alpha1.API;
  let account: Accountv3.ProjectAPI;
  const PASSWORD = 'correct-horse-battery-staple-7';

  const clientFor = (accessKey: string, secretKey: string) =>
    createClient({ accessKey, secretKey, apiURL: server.url, defaultProjectId: server.projectId, defaultOrganizationId: server.organizationId, defaultRegion: 'fr-par' });
  const email = () => `${uniqueName('user')}@example.com`;
  /** A fresh key of the user: keys are cached for a few seconds, a new one sees the latest grants. */
  const secretsAs = async (userId: string) => {
    const key = await iam.createAPIKey({ userId, defaultProjectId: server.projectId, description: 'laptop' });
    return new Secretv1beta1.API(clientFor(key.accessKey, key.secretKey ?? ''));
  };
  const readOnlyPolicy = (principal: { userId?: string; groupId?: string }) =>
    iam.createPolicy({
      name: uniqueName('read'),
      description: '',
      organizationId: server.organizationId,
      rules: [{ permissionSetNames: ['SecretManagerReadOnly'], projectIds: [server.projectId], condition: '' }],
      ...principal,
    });
  const managerPolicy = (principal: { userId?: string; groupId?: string }) =>
    iam.createPolicy({
      name: uniqueName('manage'),
      description: '',
      organizationId: server.organizationId,
      rules: [{ permissionSetNames: ['OrganizationManager'], organizationId: server.organizationId, condition: '' }],
      ...principal,
    });

  before(async () => {
    server = await startServer();
    iam = new Iamv1alpha1.API(clientFor(server.accessKey, server.secretKey));
    account = new Accountv3.ProjectAPI(clientFor(server.accessKey, server.secretKey));
  });
  after(async () => server.stop());

  it('creates users with argon2id passwords it never shows or stores in clear; the first user owns the organization', async () => {
    const owner = await iam.createUser({ organizationId: server.organizationId, member: { email: email(), password: PASSWORD, username: 'owner', sendPasswordEmail: false, sendWelcomeEmail: false, firstName: 'Ada', lastName: 'L', phoneNumber: '', locale: 'en' } });
    assert.equal(owner.type, 'owner');
    assert.equal(owner.status, 'activated');
    const member = await iam.createUser({ organizationId: server.organizationId, email: email() });
    assert.equal(member.type, 'member');
    assert.equal(member.status, 'invitation_pending', 'a user without a password cannot sign in yet');
    const updated = await iam.updateUserPassword({ userId: member.id, password: PASSWORD });
    assert.equal(updated.status, 'activated');
    const duplicate = await refusal(iam.createUser({ organizationId: server.organizationId, email: owner.email.toUpperCase() }));
    assert.equal(duplicate.status, 409);
    const weak = await refusal(iam.updateUserPassword({ userId: member.id, password: 'short' }));
    assert.equal(weak.status, 400);
    assert.doesNotMatch(JSON.stringify(weak.body), /short/, 'the refusal does not echo the password');
    const renamed = await iam.updateUser({ userId: member.id, firstName: 'Grace', tags: ['ops'] });
    assert.deepEqual([renamed.firstName, renamed.tags], ['Grace', ['ops']]);
    assert.ok((await iam.listUsers({ organizationId: server.organizationId })).users.some((user) => user.id === member.id));

    for (const file of readdirSync(server.dataDir).filter((name) => name.startsWith('coffer.db'))) {
      const bytes = readFileSync(join(server.dataDir, file));
      assert.equal(bytes.indexOf(PASSWORD), -1, `${file} holds the password in clear`);
    }
    const store = readdirSync(server.dataDir).filter((name) => name.startsWith('coffer.db')).map((file) => readFileSync(join(server.dataDir, file)).toString('latin1')).join('');
    assert.match(store, /\$argon2id\$v=19\$m=19456,t=2,p=1\$/, 'the store keeps an argon2id hash');
  });

  it("gives a user its own policies and its groups' policies, nested groups included, and takes them back", async () => {
    const user = await iam.createUser({ organizationId: server.organizationId, email: email() });
    const secrets = new Secretv1beta1.API(clientFor(server.accessKey, server.secretKey));
    const secret = await secrets.createSecret({ name: uniqueName('db'), protected: false });

    const outer = await iam.createGroup({ organizationId: server.organizationId, name: 'outer', description: 'readers' });
    const inner = await iam.createGroup({ organizationId: server.organizationId, name: 'inner', description: '' });
    await readOnlyPolicy({ groupId: outer.id });
    const before = await refusal((await secretsAs(user.id)).getSecret({ secretId: secret.id }));
    assert.equal(before.status, 403, 'no policy yet');

    await iam.addGroupMember({ groupId: inner.id, userId: user.id });
    // Coffer's extension: a group inside a group, through the same members call.
    const nested = await fetch(`${server.url}/iam/v1alpha1/groups/${outer.id}/add-members`, {
      method: 'POST',
      headers: { 'x-auth-token': server.secretKey, 'content-type': 'application/json' },
      body: JSON.stringify({ group_ids: [inner.id] }),
    });
    assert.equal(nested.status, 200);
    assert.deepEqual(((await nested.json()) as { group_ids: string[] }).group_ids, [inner.id]);
    assert.equal((await (await secretsAs(user.id)).getSecret({ secretId: secret.id })).id, secret.id, 'outer → inner → user');
    const create = await refusal((await secretsAs(user.id)).createSecret({ name: uniqueName('nope'), protected: false }));
    assert.equal(create.status, 403);

    await iam.removeGroupMember({ groupId: inner.id, userId: user.id });
    assert.equal((await refusal((await secretsAs(user.id)).getSecret({ secretId: secret.id }))).status, 403, 'removal takes the grant away');
    const direct = await readOnlyPolicy({ userId: user.id });
    assert.equal(direct.userId, user.id);
    assert.equal((await (await secretsAs(user.id)).getSecret({ secretId: secret.id })).id, secret.id, "the user's own policy");
    const group = await iam.getGroup({ groupId: inner.id });
    assert.deepEqual(group.userIds, []);
  });

  it('refuses circular group membership and changes nothing', async () => {
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((name) => iam.createGroup({ organizationId: server.organizationId, name, description: '' })));
    if (!a || !b || !c) {
      throw new Error('three groups expected');
    }
    const add = (groupId: string, groupIds: string[]) =>
      fetch(`${server.url}/iam/v1alpha1/groups/${groupId}/add-members`, {
        method: 'POST',
        headers: { 'x-auth-token': server.secretKey, 'content-type': 'application/json' },
        body: JSON.stringify({ group_ids: groupIds }),
      });
    assert.equal((await add(a.id, [b.id])).status, 200);
    assert.equal((await add(b.id, [c.id])).status, 200);
    for (const [target, member] of [[c.id, a.id], [a.id, a.id], [b.id, a.id]] as const) {
      const refused = await add(target, [member]);
      assert.equal(refused.status, 400);
      const body = (await refused.json()) as { type: string; message: string; details: { help_message: string }[] };
      assert.equal(body.type, 'invalid_arguments');
      assert.match(JSON.stringify(body), /circular group membership/);
    }
    const unchanged = await fetch(`${server.url}/iam/v1alpha1/groups/${c.id}`, { headers: { 'x-auth-token': server.secretKey } });
    assert.deepEqual(((await unchanged.json()) as { group_ids: string[] }).group_ids, []);
  });

  it('refuses to remove the last organization manager, whichever way it is tried', async () => {
    const users = (await iam.listUsers({ organizationId: server.organizationId })).users;
    const owner = users.find((user) => user.type === 'owner');
    assert.ok(owner, 'the first user owns the organization');
    const deputy = await iam.createUser({ organizationId: server.organizationId, email: email() });
    const team = await iam.createGroup({ organizationId: server.organizationId, name: 'managers', description: '' });
    await iam.addGroupMember({ groupId: team.id, userId: deputy.id });
    const policy = await managerPolicy({ groupId: team.id });

    await iam.deleteUser({ userId: owner.id });
    const expectLastManager = async (attempt: Promise<unknown>) => {
      const refused = await refusal(attempt);
      assert.equal(refused.status, 412);
      assert.equal(refused.body.precondition, 'last_organization_manager');
      assert.match(String(refused.body.help_message), /last organization manager/);
    };
    await expectLastManager(iam.deleteUser({ userId: deputy.id }));
    await expectLastManager(iam.removeGroupMember({ groupId: team.id, userId: deputy.id }));
    await expectLastManager(iam.deleteGroup({ groupId: team.id }));
    await expectLastManager(iam.deletePolicy({ policyId: policy.id }));
    await expectLastManager(iam.updatePolicy({ policyId: policy.id, noPrincipal: true }));
    await expectLastManager(iam.setRules({ policyId: policy.id, rules: [{ permissionSetNames: ['IAMReadOnly'], organizationId: server.organizationId, condition: '' }] }));
    assert.deepEqual((await iam.getGroup({ groupId: team.id })).userIds, [deputy.id], 'nothing changed');

    await managerPolicy({ userId: (await iam.createUser({ organizationId: server.organizationId, email: email() })).id });
    await iam.deleteUser({ userId: deputy.id });
  });

  it('updates applications and API keys, and deletes only empty projects', async () => {
    const application = await iam.createApplication({ name: 'ci', description: '', organizationId: server.organizationId });
    const renamed = await iam.updateApplication({ applicationId: application.id, name: 'ci-runner', description: 'builds', tags: ['ci'] });
    assert.deepEqual([renamed.name, renamed.description, renamed.tags], ['ci-runner', 'builds', ['ci']]);
    const key = await iam.createAPIKey({ applicationId: application.id, description: 'old' });
    const project = await account.createProject({ name: uniqueName('scratch'), description: '', organizationId: server.organizationId });
    const expiresAt = new Date(Date.now() + 86_400_000);
    const moved = await iam.updateAPIKey({ accessKey: key.accessKey, description: 'new', defaultProjectId: project.id, expiresAt });
    assert.deepEqual([moved.description, moved.defaultProjectId, moved.expiresAt?.getTime()], ['new', project.id, expiresAt.getTime()]);
    assert.equal(moved.secretKey, undefined);

    assert.equal((await refusal(account.deleteProject({ projectId: project.id }))).status, 412, 'a key defaults to it');
    await iam.updateAPIKey({ accessKey: key.accessKey, defaultProjectId: server.projectId });
    const secrets = new Secretv1beta1.API(clientFor(server.accessKey, server.secretKey));
    const secret = await secrets.createSecret({ name: uniqueName('x'), protected: false, projectId: project.id });
    const full = await refusal(account.deleteProject({ projectId: project.id }));
    assert.equal(full.status, 412);
    assert.equal(full.body.precondition, 'project_not_empty');
    await secrets.deleteSecret({ secretId: secret.id });
    // A secret pending deletion still belongs to the project until it is purged.
    assert.equal((await refusal(account.deleteProject({ projectId: project.id }))).status, 412);

    const empty = await account.updateProject({ projectId: (await account.createProject({ name: uniqueName('empty'), description: '', organizationId: server.organizationId })).id, description: 'to go' });
    assert.equal(empty.description, 'to go');
    await account.deleteProject({ projectId: empty.id });
    assert.equal((await refusal(account.getProject({ projectId: empty.id }))).status, 404);
  });
});
