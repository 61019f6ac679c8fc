import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { INVALIDATION_BOUND_MS } from '../../src/core/cache/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { scalewayHttp } from '../helpers/scaleway-http.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('two Coffer processes on one PostgreSQL', () => {
  let database: TestDatabase;
  let first: TestServer;
  let second: TestServer;

  before(async () => {
    database = await createTestDatabase();
    // Both processes need the same root key to read each other's writes.
    const env = { COFFER_ROOT_KEY: Buffer.alloc(32, 7).toString('base64') };
    first = await startServer({ storage: 'postgres', postgresUrl: database.url, env });
    second = await startServer({ storage: 'postgres', postgresUrl: database.url, env, identity: first });
  });
  after(async () => {
    await Promise.all([first.stop(), second.stop()]);
    await database.drop();
  });

  it('bootstraps once: the second process reuses the first one', () => {
    assert.match(first.output(), /Bootstrapped organization/);
    assert.doesNotMatch(second.output(), /Bootstrapped organization/);
  });

  it('gives concurrent CreateSecretVersion calls gapless, unique revisions and loses no write', async () => {
    const apis = [scalewayHttp(first), scalewayHttp(second)];
    const id = await apis[0]?.createSecret({ name: 'contended' }) ?? '';
    const writes = 80;
    const results = await Promise.all(
      Array.from({ length: writes }, (_, index) =>
        apis[index % 2]?.call('POST', `/secrets/${id}/versions`, { data: Buffer.from(`value-${index}`).toString('base64') }),
      ),
    );
    const revisions = results.map((result) => {
      assert.equal(result?.status, 200, result?.text);
      return Number(result?.json?.revision);
    });
    assert.deepEqual([...revisions].sort((a, b) => a - b), Array.from({ length: writes }, (_, index) => index + 1));
    const secret = await apis[1]?.call('GET', `/secrets/${id}`);
    assert.equal(secret?.json?.version_count, writes);
    // Every acknowledged write is readable, with its own data, from either process.
    const values = new Set<string>();
    for (const revision of revisions) {
      const read = await apis[revision % 2]?.access(id, revision);
      assert.equal(read?.status, 200);
      values.add(read?.data ?? '');
    }
    assert.equal(values.size, writes);
  });

  it('lets exactly one of N concurrent Vault CAS writes at the same version succeed', async () => {
    const servers = [first, second];
    const write = (index: number, key: string, cas: number) =>
      fetch(`${servers[index % 2]?.url ?? ''}/v1/secret/data/${key}`, {
        method: 'POST',
        headers: { 'x-vault-token': first.secretKey, 'content-type': 'application/json' },
        body: JSON.stringify({ data: { writer: index }, options: { cas } }),
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as { errors?: string[]; data?: { version?: number } } }));
    const contenders = 24;
    for (const [key, cas] of [['cas-new', 0], ['cas-existing', 1]] as const) {
      if (cas === 1) {
        assert.equal((await write(0, key, 0)).status, 200);
      }
      const results = await Promise.all(Array.from({ length: contenders }, (_, index) => write(index, key, cas)));
      const winners = results.filter((result) => result.status === 200);
      assert.equal(winners.length, 1, `${key}: ${JSON.stringify(results.map((result) => result.status))}`);
      assert.equal(winners[0]?.body.data?.version, cas + 1);
      for (const loser of results.filter((result) => result.status !== 200)) {
        assert.equal(loser.status, 400);
        assert.deepEqual(loser.body, { errors: ['check-and-set parameter did not match the current version'] });
      }
      const metadata = await fetch(`${second.url}/v1/secret/metadata/${key}`, { headers: { 'x-vault-token': first.secretKey } });
      const body = (await metadata.json()) as { data: { current_version: number; versions: Record<string, unknown> } };
      assert.equal(body.data.current_version, cas + 1);
      assert.deepEqual(Object.keys(body.data.versions).sort(), cas === 0 ? ['1'] : ['1', '2']);
    }
  });

  it('refuses on the other process, within the documented 1 s bound, a key deleted on one', async () => {
    const iam = (method: string, path: string, body?: unknown) =>
      fetch(`${first.url}/iam/v1alpha1${path}`, {
        method,
        headers: { 'x-auth-token': first.secretKey, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }).then(async (response) => ({ status: response.status, json: (await response.json().catch(() => null)) as Record<string, unknown> | null }));
    const application = await iam('POST', '/applications', { name: 'reader', organization_id: first.organizationId });
    const applicationId = String(application.json?.id);
    await iam('POST', '/policies', {
      name: 'read',
      organization_id: first.organizationId,
      application_id: applicationId,
      rules: [{ permission_set_names: ['SecretManagerReadOnly'], project_ids: [first.projectId] }],
    });
    const key = await iam('POST', '/api-keys', { application_id: applicationId });
    const secretKey = String(key.json?.secret_key);
    const listOnSecond = () =>
      fetch(`${second.url}/secret-manager/v1beta1/regions/fr-par/secrets?project_id=${first.projectId}`, { headers: { 'x-auth-token': secretKey } }).then((response) => response.status);
    assert.equal(await listOnSecond(), 200, 'the key works on the other process, which now caches it');
    assert.equal((await iam('DELETE', `/api-keys/${String(key.json?.access_key)}`)).status, 204);
    const deletedAt = Date.now();
    // A correctness deadline: past the bound, the other process must refuse the key.
    let status = await listOnSecond();
    while (status === 200 && Date.now() - deletedAt < INVALIDATION_BOUND_MS) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = await listOnSecond();
    }
    assert.equal(status, 401, `still accepted ${Date.now() - deletedAt} ms after the deletion; the bound is ${INVALIDATION_BOUND_MS} ms`);
  });
});
