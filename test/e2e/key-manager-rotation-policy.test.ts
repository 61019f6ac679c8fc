import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { b64, eventually, unb64 } from '../helpers/wire.js';

/** A rotation policy is applied by the background job, which also re-wraps the key's secrets. */
describe('Key Manager rotation policy', () => {
  let server: TestServer;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'x-auth-token': server.secretKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
  };

  before(async () => {
    server = await startServer({ env: { COFFER_MAINTENANCE_INTERVAL_SECONDS: '1' } });
  });
  after(async () => server.stop());

  it('rotates a key when its next rotation comes, moves the next one a period on, and re-wraps its secrets', async () => {
    const KMS = '/key-manager/v1alpha1/regions/fr-par';
    const soon = new Date(Date.now() + 1500).toISOString();
    const created = await call('POST', `${KMS}/keys`, { project_id: server.projectId, unprotected: true, rotation_policy: { rotation_period: '24h', next_rotation_at: soon } });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    const keyId = String(created.json?.id);
    assert.deepEqual(created.json?.rotation_policy, { rotation_period: '86400s', next_rotation_at: soon.replace('Z', '000Z') });
    const secret = await call('POST', '/secret-manager/v1beta1/regions/fr-par/secrets', { name: 'rotating', project_id: server.projectId, key_id: keyId });
    const secretId = String(secret.json?.id);
    assert.equal((await call('POST', `/secret-manager/v1beta1/regions/fr-par/secrets/${secretId}/versions`, { data: b64('kept') })).status, 200);
    const encrypted = await call('POST', `${KMS}/keys/${keyId}/encrypt`, { plaintext: b64('before the policy') });

    const rotated = await eventually(async () => (await call('GET', `${KMS}/keys/${keyId}`)).json?.rotation_count === 1, 10_000);
    assert.ok(rotated, 'the policy did not rotate the key within 10 s');
    const key = (await call('GET', `${KMS}/keys/${keyId}`)).json ?? {};
    const next = Date.parse(String((key.rotation_policy as { next_rotation_at: string }).next_rotation_at));
    const rotatedAt = Date.parse(String(key.rotated_at));
    assert.ok(Math.abs(next - rotatedAt - 86_400_000) < 1000, `next rotation ${String(next)} is not a day after ${String(rotatedAt)}`);
    assert.ok(await eventually(async () => (await call('GET', `${KMS}/keys/${keyId}/rewrap`)).json?.data_keys_rewrapped === 1, 10_000));
    assert.deepEqual((await call('GET', `${KMS}/keys/${keyId}/rewrap`)).json, { key_id: keyId, current_version: 2, data_keys_total: 1, data_keys_rewrapped: 1, complete: true });
    assert.equal(unb64((await call('GET', `/secret-manager/v1beta1/regions/fr-par/secrets/${secretId}/versions/1/access`)).json?.data), 'kept');
    const decrypted = await call('POST', `${KMS}/keys/${keyId}/decrypt`, { ciphertext: encrypted.json?.ciphertext });
    assert.equal(unb64(decrypted.json?.plaintext), 'before the policy');
  });
});
