import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';

const SCW = '/secret-manager/v1beta1/regions/fr-par';
const COFFER = '/coffer/v1/regions/fr-par/secrets';

/** Deactivation and expiration of a secret, seen through the Scaleway, Vault and OVHcloud APIs. */
describe('secret lifecycle through every API', () => {
  let server: TestServer;
  let secretId = '';
  let okms = '';

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'x-auth-token': server.secretKey, 'x-vault-token': server.secretKey, authorization: `Bearer ${server.secretKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, text: await response.text() };
  };
  const reads = async () => ({
    scaleway: await call('GET', `${SCW}/secrets/${secretId}/versions/latest/access`),
    vault: await call('GET', '/v1/secret/data/prod/api'),
    ovh: await call('GET', `/api/${okms}/v2/secret/prod/api?includeData=true`),
  });

  before(async () => {
    server = await startServer();
    okms = String((JSON.parse((await call('POST', '/coffer/v1/domains', { region: 'fr-par' })).text) as { id: string }).id);
    const written = await call('POST', '/v1/secret/data/prod/api', { data: { token: 'live-token' } });
    assert.equal(written.status, 200, written.text);
    const listed = JSON.parse((await call('GET', `${SCW}/secrets?name=api`)).text) as { secrets: { id: string }[] };
    secretId = listed.secrets[0]?.id ?? '';
  });
  after(async () => server.stop());

  it('refuses every API the data of a disabled secret, naming the reason in each shape, until it is enabled', async () => {
    const before = await reads();
    assert.deepEqual([before.scaleway.status, before.vault.status, before.ovh.status], [200, 200, 200]);
    const disabled = await call('POST', `${COFFER}/${secretId}/disable`);
    assert.equal(disabled.status, 200, disabled.text);
    assert.equal((JSON.parse(disabled.text) as { status: string }).status, 'disabled');

    const refused = await reads();
    assert.equal(refused.scaleway.status, 412);
    assert.equal((JSON.parse(refused.scaleway.text) as { precondition: string }).precondition, 'secret_disabled');
    assert.equal(refused.vault.status, 400);
    assert.match(refused.vault.text, /"errors":\[".*is disabled/);
    assert.equal(refused.ovh.status, 400);
    assert.match(refused.ovh.text, /is disabled/);
    for (const answer of Object.values(refused)) {
      assert.doesNotMatch(answer.text, /live-token/);
    }
    const metadata = await call('GET', `${SCW}/secrets/${secretId}`);
    assert.equal(metadata.status, 200, 'metadata stays readable');

    assert.equal((await call('POST', `${COFFER}/${secretId}/enable`)).status, 200);
    const after = await reads();
    assert.deepEqual([after.scaleway.status, after.vault.status, after.ovh.status], [200, 200, 200]);
    assert.match(after.vault.text, /live-token/);
  });

  it('keeps an expiration ahead of now, shows it, and removes it', async () => {
    const past = await call('PUT', `${COFFER}/${secretId}/expiration`, { expires_at: '2020-01-01T00:00:00Z' });
    assert.equal(past.status, 400);
    const ahead = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const set = await call('PUT', `${COFFER}/${secretId}/expiration`, { expires_at: ahead });
    assert.equal(set.status, 200, set.text);
    const lifecycle = JSON.parse((await call('GET', `${COFFER}/${secretId}/lifecycle`)).text) as { status: string; expires_at: string };
    assert.equal(lifecycle.status, 'enabled');
    assert.equal(Date.parse(lifecycle.expires_at), Date.parse(ahead));
    assert.equal((await reads()).scaleway.status, 200, 'not expired yet');
    const removed = JSON.parse((await call('PUT', `${COFFER}/${secretId}/expiration`, { expires_at: null })).text) as { expires_at: string | null };
    assert.equal(removed.expires_at, null);
    assert.equal((await call('PUT', `${COFFER}/${secretId}/expiration`, { expires_at: 'tomorrow' })).status, 400);
  });
});
