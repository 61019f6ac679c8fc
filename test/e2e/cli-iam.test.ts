import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT_DIR, startServer, type TestServer } from '../helpers/server.js';

/** `coffer iam`, run as users run it, against a real server. */
describe('coffer iam', () => {
  let server: TestServer;
  const coffer = (args: string[], secretKey = server.secretKey) => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT_DIR, 'src/cli/index.ts'), ...args], {
      env: { ...process.env, COFFER_ADDR: server.url, COFFER_SECRET_KEY: secretKey },
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

  it('refuses unknown permission sets with the server\'s message', () => {
    const result = coffer(['iam', 'policies', 'create', '--name', 'x', '--permission-set', 'Everything']);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /unknown permission set/);
  });
});
