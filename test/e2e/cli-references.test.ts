import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { api, cleanEnv, coffer, SCW, seedSecret, writeConfig } from '../cli/helpers.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** Every value seeded here: no error output may ever contain one. */
const VALUES = ['AKIA-scw-access-1', 'scw-secret-key-1', 'AKIA-scw-access-2', 'vault-access-v1', 'vault-access-v2', 'deep-value-42', 'plain-text-payload'];

describe('coffer get: references resolved against a real Coffer server', () => {
  let server: TestServer;
  let env: Record<string, string>;
  let secretId: string;
  let okmsId: string;

  const get = (args: string[], extra: Record<string, string> = {}) => coffer(['get', ...args], { ...env, ...extra });
  const ok = (args: string[], extra?: Record<string, string>) => {
    const result = get(args, extra);
    assert.equal(result.status, 0, result.stderr);
    return result.stdout;
  };
  const fails = (reference: string, status: number, message: RegExp, extra?: Record<string, string>) => {
    const result = get([reference], extra);
    assert.equal(result.status, status, `${reference}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.equal(result.stdout, '');
    for (const value of VALUES) {
      assert.ok(!result.stderr.includes(value), `the error for ${reference} shows a value`);
    }
    return result.stderr;
  };

  before(async () => {
    server = await startServer();
    secretId = await seedSecret(
      server,
      { name: 'bucket1', path: '/staging/aws/s3', type: 'key_value' },
      JSON.stringify({ access_key: 'AKIA-scw-access-1', secret_key: 'scw-secret-key-1' }),
      JSON.stringify({ access_key: 'AKIA-scw-access-2', secret_key: 'scw-secret-key-2' }),
    );
    await api(server, 'POST', `${SCW}/secrets/${secretId}/versions/2/disable`, {});
    await seedSecret(server, { name: 'plain' }, 'plain-text-payload');
    const vault = { 'x-vault-token': server.secretKey };
    await api(server, 'POST', '/v1/secret/data/production/aws', { data: { access_key: 'vault-access-v1' } }, vault);
    await api(server, 'POST', '/v1/secret/data/production/aws', { data: { access_key: 'vault-access-v2', nested: { a: { b: 'deep-value-42' }, n: 7 } } }, vault);
    okmsId = String((await api(server, 'POST', '/coffer/v1/domains', { region: 'fr-par' })).id);
    const folder = mkdtempSync(join(tmpdir(), 'coffer-cli-token-'));
    writeFileSync(join(folder, 'vault-token'), `${server.secretKey}\n`, { mode: 0o600 });
    writeFileSync(join(folder, 'ovh-token'), server.secretKey, { mode: 0o600 });
    const config = writeConfig({
      active_profile: 'local',
      profiles: { local: { api_url: server.url, secret_key: 'env:TEST_COFFER_KEY', project_id: server.projectId } },
      instances: {
        par: { type: 'scw', api_url: server.url, region: 'fr-par', project_id: server.projectId, secret_key: 'env:TEST_COFFER_KEY' },
        wrong: { type: 'scw', api_url: server.url, secret_key: 'env:TEST_WRONG_KEY' },
        unset: { type: 'scw', api_url: server.url, secret_key: 'env:TEST_NEVER_SET' },
        corp: { type: 'vault', address: server.url, token: `file:${join(folder, 'vault-token')}` },
        okms: { type: 'ovh', endpoint: server.url, okms_id: okmsId, token: `cmd:cat ${join(folder, 'ovh-token')}` },
      },
      defaults: { scw: 'par', vault: 'corp', ovh: 'okms' },
    });
    env = cleanEnv({ COFFER_CONFIG: config, TEST_COFFER_KEY: server.secretKey, TEST_WRONG_KEY: '00000000-0000-4000-8000-000000000000' });
  });
  after(async () => server.stop());

  it('scw:// by secret id (Plakar form) reads the latest enabled version through the Scaleway API', () => {
    assert.equal(ok([`scw://${secretId}#access_key`]), 'AKIA-scw-access-1\n');
    assert.equal(ok([`scw://${secretId}@1#/secret_key`]), 'scw-secret-key-1\n');
  });

  it('scw:// by path, with a version and a region', () => {
    assert.equal(ok(['scw://staging/aws/s3/bucket1@latest_enabled#secret_key?region=fr-par']), 'scw-secret-key-1\n');
    assert.equal(ok(['-n', 'scw://staging/aws/s3/bucket1?instance=par#access_key']), 'AKIA-scw-access-1');
  });

  it('scw:// takes SCW_* variables when no instance is configured', () => {
    const plain = cleanEnv({ SCW_API_URL: server.url, SCW_SECRET_KEY: server.secretKey, SCW_DEFAULT_REGION: 'fr-par', SCW_DEFAULT_PROJECT_ID: server.projectId });
    const result = coffer(['get', 'scw://staging/aws/s3/bucket1#access_key'], plain);
    assert.equal(result.stdout, 'AKIA-scw-access-1\n', result.stderr);
  });

  it('coffer:// reads through the active profile; without a selector the payload comes whole', () => {
    assert.deepEqual(JSON.parse(ok(['coffer://staging/aws/s3/bucket1@1'])), { access_key: 'AKIA-scw-access-1', secret_key: 'scw-secret-key-1' });
    assert.equal(ok(['coffer://plain']), 'plain-text-payload\n');
    assert.equal(ok([`coffer://${secretId}?by=id#access_key`]), 'AKIA-scw-access-1\n');
  });

  it('vault:// reads KV v2 through the Vault API, by version, key and JSON Pointer', () => {
    assert.equal(ok(['vault://secret/production/aws#access_key']), 'vault-access-v2\n');
    assert.equal(ok(['vault://secret/production/aws#access_key?version=1']), 'vault-access-v1\n');
    assert.equal(ok(['vault://secret/production/aws@1#access_key']), 'vault-access-v1\n');
    assert.equal(ok(['vault://secret/production/aws#/nested/a/b']), 'deep-value-42\n');
    assert.equal(ok(['vault://secret/production/aws#/nested']), '{"a":{"b":"deep-value-42"},"n":7}\n');
    assert.equal(ok(['ref+vault://secret/production/aws#/nested/n']), '7\n');
  });

  it('vault:// takes VAULT_ADDR and VAULT_TOKEN when no instance is configured', () => {
    const result = coffer(['get', 'vault://secret/production/aws#access_key'], cleanEnv({ VAULT_ADDR: server.url, VAULT_TOKEN: server.secretKey }));
    assert.equal(result.stdout, 'vault-access-v2\n', result.stderr);
  });

  it("ovh:// reads OVHcloud's REST API with a token from a cmd: source", () => {
    assert.equal(ok(['ovh://production/aws#access_key']), 'vault-access-v2\n');
    assert.equal(ok(['ovh://production/aws@1#access_key?instance=okms']), 'vault-access-v1\n');
    assert.equal(ok(['ovh://production/aws#/nested/a/b']), 'deep-value-42\n');
  });

  it("reads Plakar's bare Vault and Scaleway handles given a provider instance", () => {
    assert.equal(ok(['--instance', 'corp', 'secret/production/aws#access_key']), 'vault-access-v2\n');
    assert.equal(ok(['--instance', 'par', `${secretId}#access_key`]), 'AKIA-scw-access-1\n');
  });

  it('a syntax error names the column and draws a caret', () => {
    const stderr = fails('vault://secret//aws#k', 6, /syntax error at column 16: empty path segment/);
    assert.match(stderr, /\n {2}vault:\/\/secret\/\/aws#k\n {17}\^/);
  });

  it('an unknown instance, a credential source that fails and a clear-text credential are config errors', () => {
    fails('vault://secret/production/aws?instance=nope#k', 7, /unknown instance "nope" \(configured: par, wrong, unset, corp, okms\)/);
    fails('vault://secret/production/aws?instance=par#k', 7, /instance "par" is a scw instance, not vault/);
    fails(`scw://${secretId}?instance=unset#k`, 7, /environment variable TEST_NEVER_SET is not set/);
    const clear = writeConfig({ instances: { v: { type: 'vault', address: server.url, token: server.secretKey } } });
    fails('vault://secret/production/aws?instance=v#k', 7, /instances\.v\.token: must be env:NAME, file:PATH or cmd:COMMAND/, { COFFER_CONFIG: clear });
  });

  it('a refused key is an authentication failure', () => {
    fails(`scw://${secretId}?instance=wrong#access_key`, 3, /authentication failed \(401/);
    fails('vault://secret/production/aws#access_key', 3, /authentication failed/, { VAULT_ADDR: server.url, VAULT_TOKEN: 'nope', COFFER_CONFIG: writeConfig({}) });
  });

  it('a missing secret, version or field is "not found"', () => {
    fails('vault://secret/production/nothing#k', 5, /vault:\/\/secret\/production\/nothing#k: secret not found/);
    fails('vault://secret/production/aws@9#access_key', 5, /version 9 not found/);
    fails(`scw://${secretId}@7#access_key`, 5, /version not found/);
    fails('scw://staging/none#k', 5, /secret not found/);
    fails('ovh://production/none#k', 5, /not found/);
    fails('vault://secret/production/aws#missing', 5, /field "missing" is not in the payload/);
    fails('vault://secret/production/aws#/nested/a/zz', 5, /JSON Pointer "\/nested\/a\/zz" is not in the payload/);
  });

  it('a selector on a payload that is not JSON, and a disabled version, are unreadable', () => {
    fails('coffer://plain#k', 8, /coffer:\/\/plain#k: the payload is not JSON/);
    fails(`scw://${secretId}@2#access_key`, 8, /the version is disabled/);
    fails(`scw://${secretId}@latest#access_key`, 8, /the version is disabled/);
  });

  it('a deleted Vault version and a deactivated OVHcloud version are unreadable', async () => {
    await api(server, 'POST', '/v1/secret/delete/production/aws', { versions: [1] }, { 'x-vault-token': server.secretKey });
    fails('vault://secret/production/aws@1#access_key', 8, /version 1 is deleted/);
    fails('ovh://production/aws@1#access_key', 8, /version 1 is deactivated/);
  });

  it('an expired ephemeral version is unreadable', async () => {
    const secret = await api(server, 'POST', `${SCW}/secrets`, { name: 'short-lived', ephemeral_policy: { time_to_live: '1s', action: 'disable' } });
    await api(server, 'POST', `${SCW}/secrets/${String(secret.id)}/versions`, { data: Buffer.from('{"k":"v"}').toString('base64') });
    // Waiting is the only way to let a version expire on a real server.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    fails(`scw://${String(secret.id)}@1#k`, 8, /the version (has expired|is disabled)/);
  });

  it('an unreachable server exits 4', () => {
    const result = coffer(['get', 'vault://secret/x#k'], cleanEnv({ VAULT_ADDR: 'http://127.0.0.1:9', VAULT_TOKEN: 't' }));
    assert.equal(result.status, 4, result.stderr);
    assert.match(result.stderr, /cannot reach http:\/\/127\.0\.0\.1:9/);
  });
});
