import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT_DIR, startServer, type TestServer } from '../helpers/server.js';

/** `coffer iam`, run as users run it, against a real server. */
describe('coffer iam', () => {
  let server: TestServer;
  const coffer = (args: string[], secretKey = server.secretKey, input?: string) => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT_DIR, 'src/cli/index.ts'), ...args], {
      env: { ...process.env, COFFER_ADDR: server.url, COFFER_SECRET_KEY: secretKey },
      ...(input === undefined ? {} : { input }),
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const json = (args: string[], secretKey?: string) => {
    const result = coffer([...args, '--output', 'json'], secretKey);
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  };

  before(async () => {
    server = await startServer();
  });
  after(async () => server.stop());

  it('creates an application, a policy and a key, and the key knows who it is', () => {
    const admin = json(['iam', 'whoami']);
    assert.equal(admin.role, 'admin');
    const application = json(['iam', 'applications', 'create', '--name', 'backup']);
    const applicationId = String(application.id);
    const policy = json([
      'iam', 'policies', 'create', '--name', 'read', '--application', applicationId,
      '--permission-set', 'SecretManagerReadOnly', '--permission-set', 'SecretManagerSecretAccess', '--project', server.projectId,
    ]);
    assert.equal(policy.application_id, applicationId);
    assert.equal(policy.nb_permission_sets, 2);
    const key = json(['iam', 'api-keys', 'create', '--application', applicationId, '--description', 'nightly']);
    const secretKey = String(key.secret_key);
    const me = json(['iam', 'whoami'], secretKey);
    assert.equal(me.access_key, key.access_key);
    assert.equal(me.role, 'application');
    assert.equal(me.application_id, applicationId);

    const table = coffer(['iam', 'applications', 'list']);
    assert.equal(table.status, 0);
    assert.match(table.stdout, /^ID\s+NAME\s+API_KEYS/m);
    assert.match(table.stdout, new RegExp(`${applicationId}\\s+backup\\s+1`));

    const refused = coffer(['iam', 'applications', 'list'], secretKey);
    assert.equal(refused.status, 3, 'a permission refusal exits 3');
    assert.match(refused.stderr, /403/);

    assert.equal(coffer(['iam', 'api-keys', 'delete', String(key.access_key)]).status, 0);
    const listed = json(['iam', 'api-keys', 'list']);
    assert.ok(!(listed.api_keys as { access_key: string }[]).some((entry) => entry.access_key === key.access_key));
  });

  it('manages users and groups: a user in a group holds the group policy through its own key', () => {
    const create = coffer(['iam', 'users', 'create', '--email', 'grace@example.com', '--password-stdin', '--output', 'json'], server.secretKey, 'a-long-enough-password\n');
    assert.equal(create.status, 0, create.stderr);
    const user = JSON.parse(create.stdout) as Record<string, unknown>;
    assert.equal(user.status, 'activated');
    assert.doesNotMatch(create.stdout, /a-long-enough-password/);
    const userId = String(user.id);
    const group = json(['iam', 'groups', 'create', '--name', 'auditors']);
    const groupId = String(group.id);
    assert.deepEqual(json(['iam', 'groups', 'add-member', groupId, '--user', userId]).user_ids, [userId]);
    const policy = json(['iam', 'policies', 'create', '--name', 'audit', '--group', groupId, '--permission-set', 'IAMReadOnly']);
    assert.equal(policy.group_id, groupId);
    const key = json(['iam', 'api-keys', 'create', '--user', userId]);
    const me = json(['iam', 'whoami'], String(key.secret_key));
    assert.deepEqual([me.role, me.user_id], ['user', userId]);
    const users = coffer(['iam', 'users', 'list'], String(key.secret_key));
    assert.equal(users.status, 0, 'IAMReadOnly through the group');
    assert.match(users.stdout, new RegExp(`${userId}\\s+grace@example.com\\s+owner\\s+activated`));
    assert.equal(coffer(['iam', 'groups', 'create', '--name', 'x'], String(key.secret_key)).status, 3, 'but not IAM writes');

    const weak = coffer(['iam', 'users', 'set-password', userId], server.secretKey, 'short\n');
    assert.notEqual(weak.status, 0);
    assert.match(weak.stderr, /password must be/);
    assert.doesNotMatch(weak.stderr, /short\b(?! )/);
    assert.equal(coffer(['iam', 'groups', 'remove-member', groupId, '--user', userId]).status, 0);
    const lastManager = coffer(['iam', 'users', 'delete', userId]);
    assert.notEqual(lastManager.status, 0, 'the first user owns the organization and is its only manager');
    assert.match(lastManager.stderr, /412.*last organization manager/);
  });

  it('refuses unknown permission sets with the server\'s message', () => {
    const result = coffer(['iam', 'policies', 'create', '--name', 'x', '--permission-set', 'Everything']);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /unknown permission set/);
  });
});
