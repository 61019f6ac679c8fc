import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { b64, unb64 } from '../helpers/wire.js';

/** Key rights go through the same authorize seam; using a key through a secret needs only the secret's rights. */
describe('Key Manager and IAM', () => {
  let server: TestServer;
  const KMS = '/key-manager/v1alpha1/regions/fr-par';
  const SCW = '/secret-manager/v1beta1/regions/fr-par';

  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'x-auth-token': token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
  };
  const admin = (method: string, path: string, body?: unknown) => call(server.secretKey, method, path, body);

  /** An application key holding `sets` on `projectIds` (the organization when empty). */
  const keyHolding = async (sets: string[], projectIds: string[] = []): Promise<string> => {
    const application = await admin('POST', '/iam/v1alpha1/applications', { name: sets.join('+'), organization_id: server.organizationId });
    const scope = projectIds.length > 0 ? { project_ids: projectIds } : { organization_id: server.organizationId };
    const policy = await admin('POST', '/iam/v1alpha1/policies', {
      name: sets.join('+'),
      organization_id: server.organizationId,
      application_id: application.json?.id,
      rules: [{ permission_set_names: sets, ...scope }],
    });
    assert.equal(policy.status, 200, JSON.stringify(policy.json));
    const apiKey = await admin('POST', '/iam/v1alpha1/api-keys', { application_id: application.json?.id, default_project_id: server.projectId });
    assert.equal(apiKey.status, 200, JSON.stringify(apiKey.json));
    return String(apiKey.json?.secret_key);
  };

  before(async () => {
    server = await startServer();
  });
  after(async () => server.stop());

  it('lets KeyManagerReadOnly read keys and nothing else', async () => {
    const key = await admin('POST', `${KMS}/keys`, { project_id: server.projectId, unprotected: true });
    const keyId = String(key.json?.id);
    const reader = await keyHolding(['KeyManagerReadOnly']);
    assert.equal((await call(reader, 'GET', `${KMS}/keys/${keyId}`)).status, 200);
    assert.equal((await call(reader, 'GET', `${KMS}/keys/${keyId}/rewrap`)).status, 200);
    const listed = await call(reader, 'GET', `${KMS}/keys?project_id=${server.projectId}`);
    assert.ok((listed.json?.keys as { id: string }[]).some((listedKey) => listedKey.id === keyId));
    for (const [method, path, body, action] of [
      ['POST', '/keys', { project_id: server.projectId }, 'keys:key:create'],
      ['POST', `/keys/${keyId}/encrypt`, { plaintext: b64('x') }, 'keys:key:encrypt'],
      ['POST', `/keys/${keyId}/decrypt`, { ciphertext: b64('x') }, 'keys:key:decrypt'],
      ['POST', `/keys/${keyId}/generate-data-key`, {}, 'keys:key:encrypt'],
      ['POST', `/keys/${keyId}/rotate`, {}, 'keys:key:update'],
      ['POST', `/keys/${keyId}/disable`, {}, 'keys:key:update'],
      ['DELETE', `/keys/${keyId}`, undefined, 'keys:key:delete'],
    ] as const) {
      const refused = await call(reader, method, `${KMS}${path}`, body);
      assert.equal(refused.status, 403, `${method} ${path}: ${JSON.stringify(refused.json)}`);
      assert.equal(refused.json?.type, 'permissions_denied');
      assert.deepEqual((refused.json?.details as { action: string }[])[0]?.action, action);
    }
  });

  it('uses a key through a secret with the secret rights alone', async () => {
    const key = await admin('POST', `${KMS}/keys`, { project_id: server.projectId, name: 'team-key', unprotected: true });
    const keyId = String(key.json?.id);
    const secretsOnly = await keyHolding(['SecretManagerFullAccess']);
    assert.equal((await call(secretsOnly, 'GET', `${KMS}/keys/${keyId}`)).status, 403);
    const created = await call(secretsOnly, 'POST', `${SCW}/secrets`, { name: 'uses-key', project_id: server.projectId, key_id: keyId });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    const secretId = String(created.json?.id);
    assert.equal((await call(secretsOnly, 'POST', `${SCW}/secrets/${secretId}/versions`, { data: b64('through the secret') })).status, 200);
    assert.equal(unb64((await call(secretsOnly, 'GET', `${SCW}/secrets/${secretId}/versions/latest/access`)).json?.data), 'through the secret');
  });

  it('limits KeyManagerFullAccess to its projects', async () => {
    const otherProject = await admin('POST', '/account/v3/projects', { name: 'elsewhere', organization_id: server.organizationId });
    assert.equal(otherProject.status, 200, JSON.stringify(otherProject.json));
    const keyHere = String((await admin('POST', `${KMS}/keys`, { project_id: server.projectId, unprotected: true })).json?.id);
    const elsewhere = await keyHolding(['KeyManagerFullAccess'], [String(otherProject.json?.id)]);
    assert.equal((await call(elsewhere, 'GET', `${KMS}/keys/${keyHere}`)).status, 403);
    assert.equal((await call(elsewhere, 'POST', `${KMS}/keys/${keyHere}/encrypt`, { plaintext: b64('x') })).status, 403);
    const mine = await call(elsewhere, 'POST', `${KMS}/keys`, { project_id: otherProject.json?.id, unprotected: true });
    assert.equal(mine.status, 200, JSON.stringify(mine.json));
    const listed = await call(elsewhere, 'GET', `${KMS}/keys`);
    assert.equal(listed.status, 200, JSON.stringify(listed.json));
    assert.deepEqual((listed.json?.keys as { id: string }[]).map((listedKey) => listedKey.id), [mine.json?.id]);
    assert.equal(listed.json?.total_count, 1);
  });
});
