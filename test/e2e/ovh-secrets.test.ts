import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';

interface Answer {
  status: number;
  headers: Headers;
  json: unknown;
}
interface OvhVersion {
  id: number;
  state: string;
  createdAt: string;
  deactivatedAt: string | null;
  data?: Record<string, unknown>;
}
interface OvhMetadata {
  casRequired: boolean;
  createdAt: string;
  updatedAt: string;
  currentVersion: number;
  oldestVersion: number;
  maxVersions: number;
  deactivateVersionAfter: string;
  customMetadata: Record<string, string>;
}
interface OvhSecret {
  path: string;
  metadata: OvhMetadata;
  version?: OvhVersion;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const METADATA_KEYS = ['casRequired', 'createdAt', 'currentVersion', 'customMetadata', 'deactivateVersionAfter', 'maxVersions', 'oldestVersion', 'updatedAt'];
const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** OVHcloud's regional REST API over a real server: region activation, secrets, versions and their states. */
describe('OVHcloud Secret Manager REST API: domains, secrets and versions', () => {
  let server: TestServer;
  let okmsId: string;

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${server.secretKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, json: text === '' ? null : JSON.parse(text) };
  };
  const api = (path: string) => `/api/${okmsId}/v2${path}`;
  const secretOf = (answer: Answer) => answer.json as OvhSecret;
  const versionOf = (answer: Answer) => answer.json as OvhVersion;
  const create = async (path: string, data: Record<string, unknown>, metadata?: Record<string, unknown>) => {
    const created = await call('POST', api('/secret'), { path, version: { data }, ...(metadata ? { metadata } : {}) });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    return secretOf(created);
  };

  before(async () => {
    server = await startServer();
    const domain = await call('POST', '/coffer/v1/domains', { region: 'fr-par' });
    assert.equal(domain.status, 200, JSON.stringify(domain.json));
    okmsId = String((domain.json as { id: string }).id);
  });
  after(async () => server.stop());

  it('activating a region creates one domain per (project, region), and activating again returns it', async () => {
    const again = await call('POST', '/coffer/v1/domains', { region: 'fr-par', project_id: server.projectId });
    assert.equal(again.status, 200);
    const domain = again.json as Record<string, unknown>;
    assert.deepEqual(Object.keys(domain).sort(), ['created_at', 'id', 'project_id', 'region']);
    assert.equal(domain.id, okmsId);
    assert.equal(domain.project_id, server.projectId);
    assert.equal(domain.region, 'fr-par');
    assert.match(String(domain.created_at), RFC3339);

    const other = await call('POST', '/coffer/v1/domains', { region: 'nl-ams' });
    assert.equal(other.status, 200);
    const otherId = (other.json as { id: string }).id;
    assert.notEqual(otherId, okmsId);

    const listed = await call('GET', '/coffer/v1/domains');
    assert.equal(listed.status, 200);
    const ids = (listed.json as { domains: { id: string; region: string }[] }).domains.map((entry) => `${entry.region}:${entry.id}`);
    assert.ok(ids.includes(`fr-par:${okmsId}`) && ids.includes(`nl-ams:${otherId}`), ids.join());

    const one = await call('GET', `/coffer/v1/domains/${okmsId}`);
    assert.equal(one.status, 200);
    assert.deepEqual(one.json, domain);
    assert.equal((await call('GET', `/coffer/v1/domains/${randomUUID()}`)).status, 404);
    assert.equal((await call('POST', '/coffer/v1/domains', { region: 'xx-nowhere' })).status, 400);
  });

  it('creates a secret with metadata and answers {path, metadata}; reads it with and without its data', async () => {
    const path = `apps/${unique('db')}/credentials`;
    const data = { user: 'shop', password: 'correct horse', nested: { ports: [5432, 5433] } };
    const created = await create(path, data, { customMetadata: { team: 'core' }, maxVersions: 5, casRequired: false });
    assert.deepEqual(Object.keys(created).sort(), ['metadata', 'path']);
    assert.equal(created.path, path);
    assert.deepEqual(Object.keys(created.metadata).sort(), METADATA_KEYS);
    assert.equal(created.metadata.currentVersion, 1);
    assert.equal(created.metadata.maxVersions, 5);
    assert.equal(created.metadata.deactivateVersionAfter, '0s');
    assert.deepEqual(created.metadata.customMetadata, { team: 'core' });
    assert.match(created.metadata.createdAt, RFC3339);
    assert.match(created.metadata.updatedAt, RFC3339);

    const withoutData = await call('GET', api(`/secret/${path}`));
    assert.equal(withoutData.status, 200);
    const secret = secretOf(withoutData);
    assert.deepEqual(Object.keys(secret).sort(), ['metadata', 'path', 'version']);
    assert.deepEqual(Object.keys(secret.version ?? {}).sort(), ['createdAt', 'deactivatedAt', 'id', 'state']);
    assert.equal(secret.version?.id, 1);
    assert.equal(secret.version?.state, 'active');
    assert.equal(secret.version?.deactivatedAt, null);

    const withData = await call('GET', api(`/secret/${path}?includeData=true`));
    assert.deepEqual(secretOf(withData).version?.data, data);
    const explicit = await call('GET', api(`/secret/${path}?version=1&includeData=true`));
    assert.deepEqual(secretOf(explicit).version?.data, data);
    assert.equal(secretOf(await call('GET', api(`/secret/${path}?includeData=false`))).version?.data, undefined);
  });

  it('refuses to create an existing path with 409 and leaves the secret as it was', async () => {
    const path = unique('once');
    await create(path, { value: 'first' });
    const again = await call('POST', api('/secret'), { path, version: { data: { value: 'second' } }, metadata: { maxVersions: 2 } });
    assert.equal(again.status, 409);
    assert.deepEqual(Object.keys(again.json as object).sort(), ['error_code', 'error_id', 'errors', 'request_id']);
    const read = secretOf(await call('GET', api(`/secret/${path}?includeData=true`)));
    assert.equal(read.metadata.currentVersion, 1);
    assert.equal(read.metadata.maxVersions, 0);
    assert.deepEqual(read.version?.data, { value: 'first' });
  });

  it('updates with check-and-set: a new version only with version.data, metadata alone adds none', async () => {
    const path = unique('cas');
    await create(path, { n: 1 });
    const second = await call('PUT', api(`/secret/${path}?cas=1`), { version: { data: { n: 2 } } });
    assert.equal(second.status, 200);
    assert.deepEqual(Object.keys(second.json as object).sort(), ['metadata', 'path']);
    assert.equal(secretOf(second).metadata.currentVersion, 2);

    const stale = await call('PUT', api(`/secret/${path}?cas=1`), { version: { data: { n: 3 } }, metadata: { customMetadata: { stale: 'yes' } } });
    assert.equal(stale.status, 409);
    const afterStale = secretOf(await call('GET', api(`/secret/${path}?includeData=true`)));
    assert.equal(afterStale.metadata.currentVersion, 2);
    assert.deepEqual(afterStale.metadata.customMetadata, {});
    assert.deepEqual(afterStale.version?.data, { n: 2 });

    const metadataOnly = await call('PUT', api(`/secret/${path}`), { metadata: { casRequired: true, customMetadata: { owner: 'ops' } } });
    assert.equal(metadataOnly.status, 200);
    assert.equal(secretOf(metadataOnly).metadata.currentVersion, 2);
    assert.equal(secretOf(metadataOnly).metadata.casRequired, true);

    const withoutCas = await call('PUT', api(`/secret/${path}`), { version: { data: { n: 3 } } });
    assert.equal(withoutCas.status, 400);
    const switchOffAndWrite = await call('PUT', api(`/secret/${path}`), { metadata: { casRequired: false }, version: { data: { n: 3 } } });
    assert.equal(switchOffAndWrite.status, 400);
    const unchanged = secretOf(await call('GET', api(`/secret/${path}`)));
    assert.equal(unchanged.metadata.currentVersion, 2);
    assert.equal(unchanged.metadata.casRequired, true);

    const third = await call('PUT', api(`/secret/${path}?cas=2`), { version: { data: { n: 3 } }, metadata: { customMetadata: { owner: 'sre' } } });
    assert.equal(third.status, 200);
    assert.equal(secretOf(third).metadata.currentVersion, 3);
    assert.deepEqual(secretOf(third).metadata.customMetadata, { owner: 'sre' });
    assert.deepEqual(secretOf(await call('GET', api(`/secret/${path}?includeData=true`))).version?.data, { n: 3 });
  });

  it('adds, lists and reads versions; state changes deactivate, reactivate and delete for good', async () => {
    const path = `team/${unique('states')}`;
    await create(path, { v: 1 });
    const added = await call('POST', api(`/secret/${path}/version?cas=1`), { data: { v: 2 } });
    assert.equal(added.status, 200);
    assert.deepEqual(Object.keys(added.json as object).sort(), ['createdAt', 'deactivatedAt', 'id', 'state']);
    assert.equal(versionOf(added).id, 2);
    assert.equal((await call('POST', api(`/secret/${path}/version?cas=1`), { data: { v: 3 } })).status, 409);
    assert.equal(versionOf(await call('POST', api(`/secret/${path}/version`), { data: { v: 3 } })).id, 3);

    const listed = await call('GET', api(`/secret/${path}/version`));
    assert.equal(listed.status, 200);
    assert.deepEqual((listed.json as OvhVersion[]).map((version) => [version.id, version.state, 'data' in version]), [
      [1, 'active', false],
      [2, 'active', false],
      [3, 'active', false],
    ]);
    const one = await call('GET', api(`/secret/${path}/version/2?includeData=true`));
    assert.deepEqual(versionOf(one).data, { v: 2 });
    assert.equal(versionOf(await call('GET', api(`/secret/${path}/version/2`))).data, undefined);

    const deactivated = await call('PUT', api(`/secret/${path}/version/2`), { state: 'deactivated' });
    assert.equal(deactivated.status, 200);
    assert.equal(versionOf(deactivated).state, 'deactivated');
    assert.match(String(versionOf(deactivated).deactivatedAt), RFC3339);
    const hidden = await call('GET', api(`/secret/${path}/version/2?includeData=true`));
    assert.equal(hidden.status, 200);
    assert.equal(versionOf(hidden).state, 'deactivated');
    assert.equal(versionOf(hidden).data, undefined);

    const reactivated = await call('PUT', api(`/secret/${path}/version/2`), { state: 'ACTIVE' });
    assert.equal(versionOf(reactivated).state, 'active');
    assert.equal(versionOf(reactivated).deactivatedAt, null);
    assert.deepEqual(versionOf(await call('GET', api(`/secret/${path}/version/2?includeData=true`))).data, { v: 2 });

    const deleted = await call('PUT', api(`/secret/${path}/version/2`), { state: 'Deleted' });
    assert.equal(versionOf(deleted).state, 'deleted');
    const gone = await call('GET', api(`/secret/${path}/version/2?includeData=true`));
    assert.equal(versionOf(gone).state, 'deleted');
    assert.equal(versionOf(gone).data, undefined);
    for (const state of ['active', 'deactivated']) {
      const refused = await call('PUT', api(`/secret/${path}/version/2`), { state });
      assert.equal(refused.status, 400, state);
    }
    assert.equal(versionOf(await call('PUT', api(`/secret/${path}/version/2`), { state: 'deleted' })).state, 'deleted');
    const states = ((await call('GET', api(`/secret/${path}/version`))).json as OvhVersion[]).map((version) => version.state);
    assert.deepEqual(states, ['active', 'deleted', 'active']);
    assert.equal((await call('GET', api(`/secret/${path}/version/9`))).status, 404);
  });

  it('deletes a secret with every version (204), after which the path starts again at version 1', async () => {
    const path = unique('bye');
    await create(path, { a: 1 });
    await call('POST', api(`/secret/${path}/version`), { data: { a: 2 } });
    const deleted = await call('DELETE', api(`/secret/${path}`));
    assert.equal(deleted.status, 204);
    assert.equal(deleted.json, null);
    assert.equal((await call('GET', api(`/secret/${path}`))).status, 404);
    assert.equal((await call('GET', api(`/secret/${path}/version`))).status, 404);
    assert.equal((await call('DELETE', api(`/secret/${path}`))).status, 404);
    assert.equal((await create(path, { a: 3 })).metadata.currentVersion, 1);
  });

  it('accepts the snake_case spellings of the guides, and applies deactivateVersionAfter to the first version', async () => {
    const path = unique('snake');
    const created = await create(path, { k: 'v' }, { cas_required: true, max_versions: 7, deactivate_version_after: '10h30m10s', custom_metadata: { env: 'prod' } });
    assert.equal(created.metadata.casRequired, true);
    assert.equal(created.metadata.maxVersions, 7);
    assert.equal(created.metadata.deactivateVersionAfter, '10h30m10s');
    assert.deepEqual(created.metadata.customMetadata, { env: 'prod' });
    const version = secretOf(await call('GET', api(`/secret/${path}`))).version;
    assert.equal(version?.state, 'active');
    assert.equal(Date.parse(String(version?.deactivatedAt)) - Date.parse(String(version?.createdAt)), (10 * 3600 + 30 * 60 + 10) * 1000);

    const updated = await call('PUT', api(`/secret/${path}`), { metadata: { delete_version_after: '45m', maxVersions: 3 } });
    assert.equal(secretOf(updated).metadata.deactivateVersionAfter, '45m0s');
    assert.equal(secretOf(updated).metadata.maxVersions, 3);
    const reset = await call('PUT', api(`/secret/${path}`), { metadata: { deactivateVersionAfter: '0s', maxVersions: null, customMetadata: null } });
    assert.deepEqual([secretOf(reset).metadata.deactivateVersionAfter, secretOf(reset).metadata.maxVersions, secretOf(reset).metadata.customMetadata], ['0s', 0, {}]);
  });

  it('tells a secret whose last segment is "version" from a version route by the encoded slash', async () => {
    const parent = unique('team');
    await create(`${parent}/version`, { kind: 'secret named version' });
    const encoded = await call('GET', api(`/secret/${parent}%2Fversion?includeData=true`));
    assert.equal(encoded.status, 200);
    assert.equal(secretOf(encoded).path, `${parent}/version`);
    assert.deepEqual(secretOf(encoded).version?.data, { kind: 'secret named version' });
    // With literal slashes this lists the versions of `${parent}`, which does not exist.
    assert.equal((await call('GET', api(`/secret/${parent}/version`))).status, 404);

    await create(`${parent}/db`, { n: 1 });
    const viaSdkEncoding = await call('GET', api(`/secret/${parent}%2Fdb/version/1?includeData=true`));
    assert.deepEqual(versionOf(viaSdkEncoding).data, { n: 1 });
    assert.equal(secretOf(await call('GET', api(`/secret/${parent}/db/`))).path, `${parent}/db`);
  });

  it('shares secrets with the KV2-compatible API of the same okmsId and with plain Vault', async () => {
    const path = `shared/${unique('x')}`;
    await create(path, { from: 'ovh' });
    const viaKv2 = await fetch(`${server.url}/api/${okmsId}/v1/secret/data/${path}`, { headers: { 'x-vault-token': server.secretKey } });
    assert.equal(viaKv2.status, 200);
    const kv2 = (await viaKv2.json()) as { data: { data: unknown; metadata: { version: number } } };
    assert.deepEqual(kv2.data.data, { from: 'ovh' });
    assert.equal(kv2.data.metadata.version, 1);

    const written = await fetch(`${server.url}/v1/secret/data/${path}`, {
      method: 'POST',
      headers: { 'x-vault-token': server.secretKey, 'content-type': 'application/json' },
      body: JSON.stringify({ data: { from: 'vault' }, options: { cas: 1 } }),
    });
    assert.equal(written.status, 200);
    const read = secretOf(await call('GET', api(`/secret/${path}?includeData=true`)));
    assert.equal(read.metadata.currentVersion, 2);
    assert.deepEqual(read.version?.data, { from: 'vault' });

    const deactivated = await call('PUT', api(`/secret/${path}/version/2`), { state: 'deactivated' });
    assert.equal(deactivated.status, 200);
    const hidden = await fetch(`${server.url}/api/${okmsId}/v1/secret/data/${path}`, { headers: { 'x-vault-token': server.secretKey } });
    assert.equal(hidden.status, 404);
    const hiddenBody = (await hidden.json()) as { data: { data: unknown; metadata: { deletion_time: string } } };
    assert.equal(hiddenBody.data.data, null);
    assert.notEqual(hiddenBody.data.metadata.deletion_time, '');
  });
});
