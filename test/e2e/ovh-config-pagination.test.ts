import assert from 'node:assert/strict';
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
}
interface OvhSecret {
  path: string;
  metadata: { currentVersion: number; oldestVersion: number; maxVersions: number };
}

/** The domain configuration (secretConfig) and its effect on secrets, and the pagination headers of both listings. */
describe('OVHcloud Secret Manager REST API: secretConfig and pagination', () => {
  let server: TestServer;
  const domains = new Map<string, string>();

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'x-auth-token': server.secretKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, json: text === '' ? null : JSON.parse(text) };
  };
  const api = (region: string, path: string) => `/api/${domains.get(region) ?? 'missing'}/v2${path}`;
  const ok = (answer: Answer): unknown => {
    assert.ok(answer.status === 200, `${answer.status} ${JSON.stringify(answer.json)}`);
    return answer.json;
  };
  const create = async (region: string, path: string, metadata?: Record<string, unknown>) =>
    ok(await call('POST', api(region, '/secret'), { path, version: { data: { n: 1 } }, ...(metadata ? { metadata } : {}) })) as OvhSecret;
  const addVersions = async (region: string, path: string, count: number) => {
    for (let index = 0; index < count; index += 1) {
      ok(await call('POST', api(region, `/secret/${path}/version`), { data: { n: index + 2 } }));
    }
  };
  const versionsOf = async (region: string, path: string) => ok(await call('GET', api(region, `/secret/${path}/version`))) as OvhVersion[];

  before(async () => {
    server = await startServer();
    for (const region of ['nl-ams', 'pl-waw']) {
      const domain = ok(await call('POST', '/coffer/v1/domains', { region })) as { id: string };
      domains.set(region, domain.id);
    }
  });
  after(async () => server.stop());

  it('reads and updates secretConfig in both spellings; the KV2 view of the domain shows the same settings', async () => {
    assert.deepEqual(ok(await call('GET', api('nl-ams', '/secretConfig'))), { casRequired: false, deactivateVersionAfter: '0s', maxVersions: 0 });
    const updated = ok(await call('PUT', api('nl-ams', '/secretConfig'), { maxVersions: 3, deactivateVersionAfter: '1h30m' }));
    assert.deepEqual(updated, { casRequired: false, deactivateVersionAfter: '1h30m0s', maxVersions: 3 });
    assert.deepEqual(ok(await call('GET', api('nl-ams', '/secretConfig'))), updated);

    const kv2 = await fetch(`${server.url}/api/${domains.get('nl-ams') ?? ''}/v1/secret/config`, { headers: { 'x-vault-token': server.secretKey } });
    assert.equal(kv2.status, 200);
    assert.deepEqual(((await kv2.json()) as { data: unknown }).data, { cas_required: false, delete_version_after: '1h30m0s', max_versions: 3 });

    const snake = ok(await call('PUT', api('nl-ams', '/secretConfig'), { cas_required: true, max_versions: 4 }));
    assert.deepEqual(snake, { casRequired: true, deactivateVersionAfter: '1h30m0s', maxVersions: 4 });
    const reset = ok(await call('PUT', api('nl-ams', '/secretConfig'), { casRequired: null, maxVersions: 3, deactivate_version_after: '1h30m' }));
    assert.deepEqual(reset, { casRequired: false, deactivateVersionAfter: '1h30m0s', maxVersions: 3 });
    // The other domain of the same project keeps its own configuration.
    assert.deepEqual(ok(await call('GET', api('pl-waw', '/secretConfig'))), { casRequired: false, deactivateVersionAfter: '0s', maxVersions: 0 });
  });

  it('applies the domain maxVersions, unless the secret allows more (the Vault rule: the larger limit wins)', async () => {
    await create('nl-ams', 'limits/domain');
    await addVersions('nl-ams', 'limits/domain', 3);
    assert.deepEqual((await versionsOf('nl-ams', 'limits/domain')).map((version) => version.id), [2, 3, 4]);
    const pruned = ok(await call('GET', api('nl-ams', '/secret/limits/domain'))) as OvhSecret;
    assert.deepEqual([pruned.metadata.currentVersion, pruned.metadata.oldestVersion], [4, 2]);
    assert.equal((await call('GET', api('nl-ams', '/secret/limits/domain/version/1'))).status, 404);

    await create('nl-ams', 'limits/key', { maxVersions: 5 });
    await addVersions('nl-ams', 'limits/key', 5);
    assert.deepEqual((await versionsOf('nl-ams', 'limits/key')).map((version) => version.id), [2, 3, 4, 5, 6]);
    await create('nl-ams', 'limits/lower', { maxVersions: 1 });
    await addVersions('nl-ams', 'limits/lower', 3);
    assert.deepEqual((await versionsOf('nl-ams', 'limits/lower')).map((version) => version.id), [2, 3, 4]);
  });

  it('schedules deactivation by the smaller non-zero deactivateVersionAfter of the domain and the secret', async () => {
    const delayOf = (version: OvhVersion | undefined) => (Date.parse(String(version?.deactivatedAt)) - Date.parse(String(version?.createdAt))) / 1000;
    await create('nl-ams', 'timers/domain');
    const [domainTimed] = await versionsOf('nl-ams', 'timers/domain');
    assert.equal(domainTimed?.state, 'active');
    assert.equal(delayOf(domainTimed), 5400);
    await create('nl-ams', 'timers/shorter', { deactivateVersionAfter: '1h' });
    assert.equal(delayOf((await versionsOf('nl-ams', 'timers/shorter'))[0]), 3600);
    await create('nl-ams', 'timers/longer', { deactivateVersionAfter: '2h' });
    assert.equal(delayOf((await versionsOf('nl-ams', 'timers/longer'))[0]), 5400);
  });

  it('requires cas on every write once the domain says so', async () => {
    await create('nl-ams', 'strict/one');
    ok(await call('PUT', api('nl-ams', '/secretConfig'), { casRequired: true }));
    try {
      const refused = await call('POST', api('nl-ams', '/secret/strict/one/version'), { data: { n: 2 } });
      assert.equal(refused.status, 400);
      assert.equal((await call('PUT', api('nl-ams', '/secret/strict/one'), { version: { data: { n: 2 } }, metadata: { maxVersions: 9 } })).status, 400);
      const untouched = ok(await call('GET', api('nl-ams', '/secret/strict/one'))) as OvhSecret;
      assert.deepEqual([untouched.metadata.currentVersion, untouched.metadata.maxVersions], [1, 0]);
      assert.equal((ok(await call('POST', api('nl-ams', '/secret/strict/one/version?cas=1'), { data: { n: 2 } })) as OvhVersion).id, 2);
      // Creation carries its own cas 0, so it needs none.
      await create('nl-ams', 'strict/two');
    } finally {
      ok(await call('PUT', api('nl-ams', '/secretConfig'), { casRequired: false }));
    }
  });

  it('pages the secret listing with X-Pagination-Size and the cursor of X-Pagination-Cursor-Next', async () => {
    const paths = Array.from({ length: 12 }, (_, index) => `page/s${String(index).padStart(2, '0')}`);
    for (const path of paths) {
      await create('pl-waw', path);
    }
    const first = await call('GET', api('pl-waw', '/secret'), undefined, { 'x-pagination-size': '10' });
    const firstPage = ok(first) as OvhSecret[];
    assert.equal(firstPage.length, 10);
    const cursor = first.headers.get('x-pagination-cursor-next');
    assert.ok(cursor, 'a next cursor when more secrets follow');
    const second = await call('GET', api('pl-waw', '/secret'), undefined, { 'x-pagination-size': '10', 'x-pagination-cursor': cursor });
    const secondPage = ok(second) as OvhSecret[];
    assert.equal(second.headers.get('x-pagination-cursor-next'), null);
    assert.deepEqual([...firstPage, ...secondPage].map((secret) => secret.path), paths);

    const whole = await call('GET', api('pl-waw', '/secret'));
    assert.equal((ok(whole) as OvhSecret[]).length, 12);
    assert.equal(whole.headers.get('x-pagination-cursor-next'), null);
  });

  it('pages the versions of a secret the same way', async () => {
    await create('pl-waw', 'paged/versions', { maxVersions: 20 });
    await addVersions('pl-waw', 'paged/versions', 11);
    const first = await call('GET', api('pl-waw', '/secret/paged/versions/version'), undefined, { 'x-pagination-size': '10' });
    assert.deepEqual((ok(first) as OvhVersion[]).map((version) => version.id), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const cursor = first.headers.get('x-pagination-cursor-next') ?? '';
    assert.notEqual(cursor, '');
    const second = await call('GET', api('pl-waw', '/secret/paged/versions/version'), undefined, { 'x-pagination-cursor': cursor });
    assert.deepEqual((ok(second) as OvhVersion[]).map((version) => version.id), [11, 12]);
    assert.equal(second.headers.get('x-pagination-cursor-next'), null);
  });
});
