import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { assertEnvelope, assertVaultError, dataOf, uniqueKey, vaultHttp, type VaultAnswer, type VaultHttp } from '../helpers/vault-http.js';

const LOOKUP_SELF_KEYS = [
  'accessor', 'creation_time', 'creation_ttl', 'display_name', 'entity_id', 'expire_time', 'explicit_max_ttl', 'id',
  'issue_time', 'meta', 'num_uses', 'orphan', 'path', 'policies', 'renewable', 'ttl', 'type',
];

/** The endpoints clients call before any secret (§4), and tokens (§1.3). */
describe('Vault KV v2: tokens, sys/health, the mount preflight and lookup-self', () => {
  let server: TestServer;
  let vault: VaultHttp;
  before(async () => {
    server = await startServer();
    vault = vaultHttp(server);
  });
  after(async () => server.stop());

  const assertDenied = (answer: VaultAnswer): void => {
    const [message = ''] = assertVaultError(answer, 403);
    assert.match(message, /permission denied/);
  };

  it('refuses a missing, malformed or unknown token with 403 permission denied, and writes nothing', async () => {
    const key = uniqueKey('guarded');
    for (const token of [null, '', 'not-a-token', randomUUID()]) {
      assertDenied(await vault.get(`secret/data/${key}`, { token }));
      assertDenied(await vault.post(`secret/data/${key}`, { data: { a: 1 } }, { token }));
      assertDenied(await vault.list('secret/metadata/', { token }));
      assertDenied(await vault.get('secret/config', { token }));
    }
    assertVaultError(await vault.get(`secret/metadata/${key}`), 404, []);
  });

  it('takes the token from X-Vault-Token or Authorization: Bearer', async () => {
    const key = uniqueKey('bearer');
    const bearer = { token: null, headers: { authorization: `Bearer ${server.secretKey}` } };
    assert.equal(assertEnvelope(await vault.post(`secret/data/${key}`, { data: { via: 'bearer' } }, bearer)).version, 1);
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}`)).data, { via: 'bearer' });
    assertDenied(await vault.get(`secret/data/${key}`, { token: null, headers: { authorization: 'Bearer wrong' } }));
    const ignored = { 'x-vault-request': 'true', 'x-vault-namespace': 'ns1' };
    assert.deepEqual(dataOf(await vault.get(`secret/data/${key}`, { headers: ignored })).data, { via: 'bearer' }, 'client headers are ignored');
  });

  it('answers sys/health without a token and without the envelope', async () => {
    const health = await vault.get('sys/health', { token: null });
    assert.equal(health.status, 200);
    assert.equal(health.contentType, 'application/json');
    const body = health.json ?? {};
    assert.equal(body.initialized, true);
    assert.equal(body.sealed, false);
    assert.equal(body.standby, false);
    assert.equal(body.performance_standby, false);
    assert.equal(body.replication_performance_mode, 'disabled');
    assert.equal(body.replication_dr_mode, 'disabled');
    assert.equal(typeof body.version, 'string');
    assert.ok(Math.abs(Number(body.server_time_utc) - Date.now() / 1000) < 60, 'server_time_utc is Unix seconds');
    assert.equal(body.data, undefined);
    assert.equal(body.request_id, undefined);
  });

  it('answers the CLI preflight for secret with options.version "2" as a string', async () => {
    for (const path of ['secret', 'secret/', 'secret/foo/bar']) {
      const preflight = await vault.get(`sys/internal/ui/mounts/${path}`);
      const data = assertEnvelope(preflight, 'system');
      assert.equal(data.type, 'kv', path);
      assert.equal(data.path, 'secret/', path);
      assert.deepEqual(data.options, { version: '2' }, path);
      assert.equal(typeof (data.options as { version: unknown }).version, 'string');
    }
    const outside = await vault.get('sys/internal/ui/mounts/elsewhere/foo');
    const [message = ''] = assertVaultError(outside, 403);
    assert.match(message, /^preflight capability check returned 403, please ensure client's policies grant access to path "elsewhere\/foo/);
    assertDenied(await vault.get('sys/internal/ui/mounts/secret', { token: null }));
  });

  it('lists the secret mount in sys/mounts, at the top level and under data', async () => {
    const mounts = await vault.get('sys/mounts');
    assert.equal(mounts.status, 200);
    assert.equal(mounts.contentType, 'application/json');
    const top = mounts.json?.['secret/'] as { type?: unknown; options?: unknown } | undefined;
    assert.equal(top?.type, 'kv');
    assert.deepEqual(top?.options, { version: '2' });
    assert.deepEqual(dataOf(mounts)['secret/'], top);
  });

  it('looks up its own token: type, ttl and expire_time present, never the token itself', async () => {
    const self = await vault.get('auth/token/lookup-self');
    const data = assertEnvelope(self, 'token');
    for (const name of LOOKUP_SELF_KEYS) {
      assert.ok(name in data, `lookup-self lacks ${name}`);
    }
    assert.equal(data.type, 'service');
    assert.equal(typeof data.ttl, 'number');
    assert.ok(data.expire_time === null || typeof data.expire_time === 'string');
    assert.ok(Array.isArray(data.policies));
    assert.ok(!self.text.includes(server.secretKey), 'the token is never echoed');
  });

  it('refuses lookup-self with a bad or missing token: 403 permission denied', async () => {
    for (const token of [null, 'bad-token', randomUUID()]) {
      assertDenied(await vault.get('auth/token/lookup-self', { token }));
    }
  });
});
