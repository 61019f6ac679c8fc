import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT_DIR, startServer, type TestServer } from '../helpers/server.js';
import { b64, unb64 } from '../helpers/wire.js';

/** `coffer keys`, run as users run it, against a real server. */
describe('coffer keys (customer-managed keys)', () => {
  let server: TestServer;
  const coffer = (args: string[], input?: string) => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT_DIR, 'src/cli/index.ts'), ...args], {
      env: { ...process.env, COFFER_ADDR: server.url, COFFER_SECRET_KEY: server.secretKey, COFFER_PROJECT_ID: server.projectId, SCW_API_URL: server.url, SCW_ACCESS_KEY: server.accessKey, SCW_SECRET_KEY: server.secretKey },
      ...(input === undefined ? {} : { input }),
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const json = (args: string[]) => {
    const result = coffer([...args, '--output', 'json']);
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  };
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'x-auth-token': server.secretKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await response.json()) as Record<string, unknown>;
  };

  before(async () => {
    server = await startServer();
  });
  after(async () => server.stop());

  it('creates, lists, disables, enables, rotates with re-wrap progress, encrypts, decrypts and deletes keys', async () => {
    const created = json(['keys', 'create', '--name', 'cli-key', '--tag', 'team:cli', '--rotation-period', '720h', '--unprotected']);
    const keyId = String(created.id);
    assert.equal(created.state, 'enabled');
    assert.deepEqual(created.rotation_policy && (created.rotation_policy as { rotation_period: string }).rotation_period, '2592000s');
    const table = coffer(['keys', 'list']);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /^ID\s+NAME\s+STATE\s+ROTATIONS\s+PROTECTED\s+PROJECT/m);
    assert.match(table.stdout, new RegExp(`${keyId}\\s+cli-key\\s+enabled\\s+0\\s+false`));

    const secret = await api('POST', '/secret-manager/v1beta1/regions/fr-par/secrets', { name: 'cli-secret', project_id: server.projectId, key_id: keyId });
    for (const value of ['one', 'two', 'three']) {
      await api('POST', `/secret-manager/v1beta1/regions/fr-par/secrets/${String(secret.id)}/versions`, { data: b64(value) });
    }
    assert.match(coffer(['keys', 'disable', keyId]).stdout, /disabled/);
    const refused = coffer(['get', `scw://${String(secret.id)}`]);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /key_disabled/);
    assert.match(coffer(['keys', 'enable', keyId]).stdout, /enabled/);

    const rotated = coffer(['keys', 'rotate', keyId, '--output', 'json']);
    assert.equal(rotated.status, 0, rotated.stderr);
    const result = JSON.parse(rotated.stdout) as { key: { rotation_count: number }; rewrap: { data_keys_total: number; data_keys_rewrapped: number; complete: boolean } };
    assert.equal(result.key.rotation_count, 1);
    assert.deepEqual([result.rewrap.data_keys_total, result.rewrap.data_keys_rewrapped, result.rewrap.complete], [3, 3, true]);
    assert.match(rotated.stderr, /re-wrapping the data keys of .*3\/3/);
    const progress = json(['keys', 'progress', keyId]);
    assert.deepEqual([progress.current_version, progress.data_keys_rewrapped, progress.complete], [2, 3, true]);
    const read = await api('GET', `/secret-manager/v1beta1/regions/fr-par/secrets/${String(secret.id)}/versions/1/access`);
    assert.equal(unb64(read.data), 'one');

    const ciphertext = coffer(['keys', 'encrypt', keyId, '--associated-data', 'ctx'], 'a value from stdin');
    assert.equal(ciphertext.status, 0, ciphertext.stderr);
    const plaintext = coffer(['keys', 'decrypt', keyId, '--associated-data', 'ctx'], ciphertext.stdout);
    assert.equal(plaintext.status, 0, plaintext.stderr);
    assert.equal(plaintext.stdout, 'a value from stdin');
    assert.notEqual(coffer(['keys', 'decrypt', keyId], ciphertext.stdout).status, 0);

    const inUse = coffer(['keys', 'delete', keyId]);
    assert.notEqual(inUse.status, 0);
    assert.match(inUse.stderr, /protects 1 secret/);
    assert.equal(coffer(['keys', 'delete', keyId, '--force']).status, 0);
    assert.match(coffer(['keys', 'list', '--scheduled-for-deletion']).stdout, new RegExp(`${keyId}\\s+cli-key\\s+scheduled_for_deletion`));
    assert.equal(coffer(['keys', 'restore', keyId]).status, 0);
    assert.equal(json(['keys', 'get', keyId]).state, 'enabled');
  });
});
