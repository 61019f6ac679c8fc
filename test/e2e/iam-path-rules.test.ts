import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';

interface Answer {
  status: number;
  json: Record<string, unknown> | null;
}

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** A rule whose condition limits it to `/prod/*`: allowed there, denied under `/dev/*`, through Scaleway and Vault. */
describe('IAM: path-scoped rules', () => {
  let server: TestServer;
  let scopedKey = '';
  const suffix = randomUUID().slice(0, 6);
  const SCW = '/secret-manager/v1beta1/regions/fr-par';

  const call = async (method: string, path: string, token: string, body?: unknown): Promise<Answer> => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'x-auth-token': token, 'x-vault-token': token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json().catch(() => null)) as Record<string, unknown> | null };
  };
  const admin = (method: string, path: string, body?: unknown) => call(method, path, server.secretKey, body);
  const seed = async (path: string, name: string): Promise<string> => {
    const created = await admin('POST', `${SCW}/secrets`, { name, path, project_id: server.projectId, type: 'key_value' });
    const id = String(created.json?.id);
    await admin('POST', `${SCW}/secrets/${id}/versions`, { data: b64('{"user":"u"}') });
    return id;
  };

  before(async () => {
    server = await startServer();
    const application = await admin('POST', '/iam/v1alpha1/applications', { name: 'prod-only', organization_id: server.organizationId });
    const policy = await admin('POST', '/iam/v1alpha1/policies', {
      name: 'prod-only',
      organization_id: server.organizationId,
      application_id: application.json?.id,
      rules: [{ permission_set_names: ['SecretManagerFullAccess'], project_ids: [server.projectId], condition: 'secret.path matches "/prod/*"' }],
    });
    assert.equal(policy.status, 200, JSON.stringify(policy.json));
    const rules = await admin('GET', `/iam/v1alpha1/rules?policy_id=${String(policy.json?.id)}`);
    assert.equal((rules.json?.rules as { condition: string }[])[0]?.condition, 'secret.path matches "/prod/*"');
    scopedKey = String((await admin('POST', '/iam/v1alpha1/api-keys', { application_id: application.json?.id })).json?.secret_key);
  });
  after(async () => server.stop());

  it('allows the Scaleway API under /prod and denies it under /dev', async () => {
    const prod = await seed('/prod', `db-${suffix}`);
    const dev = await seed('/dev', `db-${suffix}`);
    assert.equal((await call('GET', `${SCW}/secrets/${prod}/versions/latest/access`, scopedKey)).status, 200);
    assert.equal((await call('GET', `${SCW}/secrets/${dev}/versions/latest/access`, scopedKey)).status, 403);
    assert.equal((await call('GET', `${SCW}/secrets/${dev}`, scopedKey)).status, 403);
    assert.equal((await call('POST', `${SCW}/secrets`, scopedKey, { name: `new-${suffix}`, path: '/prod/app', project_id: server.projectId })).status, 200);
    assert.equal((await call('POST', `${SCW}/secrets`, scopedKey, { name: `new-${suffix}`, path: '/dev', project_id: server.projectId })).status, 403);
    assert.equal((await call('POST', `${SCW}/secrets`, scopedKey, { name: 'prod', path: '/', project_id: server.projectId })).status, 403, 'the secret /prod itself is not under /prod/');
    const listed = await call('GET', `${SCW}/secrets?project_id=${server.projectId}`, scopedKey);
    const paths = (listed.json?.secrets as { path: string }[]).map((secret) => secret.path);
    assert.ok(paths.length >= 2);
    assert.ok(paths.every((path) => path === '/prod' || path.startsWith('/prod/')), JSON.stringify(paths));
    assert.equal(listed.json?.total_count, paths.length, 'total_count counts only what the key may see');
  });

  it('allows the Vault API under prod/ and denies it under dev/', async () => {
    await seed('/prod/vault', `app-${suffix}`);
    await seed('/dev/vault', `app-${suffix}`);
    assert.equal((await call('GET', `/v1/secret/data/prod/vault/app-${suffix}`, scopedKey)).status, 200);
    assert.equal((await call('GET', `/v1/secret/data/dev/vault/app-${suffix}`, scopedKey)).status, 403);
    assert.equal((await call('POST', `/v1/secret/data/prod/vault/new-${suffix}`, scopedKey, { data: { a: 1 } })).status, 200);
    assert.equal((await call('POST', `/v1/secret/data/dev/vault/new-${suffix}`, scopedKey, { data: { a: 1 } })).status, 403);
    assert.equal((await call('GET', `/v1/secret/metadata/dev/vault/new-${suffix}`, server.secretKey)).status, 404, 'nothing was written under dev/');
    const listed = await call('GET', '/v1/secret/metadata/?list=true', scopedKey);
    assert.deepEqual(listed.json?.data, { keys: ['prod/'] });
  });

  it('limits rules to client address ranges', async () => {
    const keyWith = async (condition: string) => {
      const application = await admin('POST', '/iam/v1alpha1/applications', { name: 'by-address', organization_id: server.organizationId });
      const policy = await admin('POST', '/iam/v1alpha1/policies', {
        name: 'by-address',
        organization_id: server.organizationId,
        application_id: application.json?.id,
        rules: [{ permission_set_names: ['SecretManagerReadOnly'], project_ids: [server.projectId], condition }],
      });
      assert.equal(policy.status, 200, JSON.stringify(policy.json));
      return String((await admin('POST', '/iam/v1alpha1/api-keys', { application_id: application.json?.id })).json?.secret_key);
    };
    const local = await keyWith('request.ip in "127.0.0.0/8"');
    const remote = await keyWith('request.ip in "10.0.0.0/8"');
    const list = `${SCW}/secrets?project_id=${server.projectId}`;
    assert.equal((await call('GET', list, local)).status, 200, 'this test runs from 127.0.0.1');
    assert.equal((await call('GET', list, remote)).status, 403);
    const rules = await admin('GET', '/iam/v1alpha1/policies');
    assert.ok(JSON.stringify(rules.json).includes('by-address'));
  });

  it('refuses conditions it cannot read', async () => {
    const refused = await admin('POST', '/iam/v1alpha1/policies', {
      name: 'bad',
      organization_id: server.organizationId,
      rules: [{ permission_set_names: ['SecretManagerReadOnly'], project_ids: [server.projectId], condition: 'request.time < "2030-01-01"' }],
    });
    assert.equal(refused.status, 400);
    assert.match(JSON.stringify(refused.json), /secret\.path matches/);
  });
});
