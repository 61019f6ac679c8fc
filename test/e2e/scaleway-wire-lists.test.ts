import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ENGINES, startServerOn, type TestServer } from '../helpers/server.js';
import { assertInvalidArgument, assertScalewayError, rawHttp, TIMESTAMP, uniqueName, wire, type Wire } from '../helpers/wire.js';

/** ListSecrets, BrowseSecrets, ListTags and ListSecretTypes as each SDK calls them. */
type Json = Record<string, unknown>;

for (const engine of ENGINES) {
  describe(`Scaleway listings on ${engine}`, () => {
    let stop: () => Promise<void>;
    let server: TestServer;
    let api: Wire;
    let tag: string;
    const ids: Record<string, string> = {};
    const short = (secrets: unknown): string[] => (secrets as Json[]).map((secret) => String(secret.name).slice(tag.length + 1));
    const list = async (query: Record<string, string | number | (string | number)[]>) => {
      const body = await api.ok('GET', '/secrets', { query: { tags: tag, ...query } });
      return { names: short(body.secrets), total: body.total_count };
    };

    before(async () => {
      const started = await startServerOn(engine);
      server = started.server;
      stop = started.stop;
      api = wire(server);
      tag = uniqueName('lst');
      const fixtures: [string, Json][] = [
        ['charlie', { tags: [tag, 'prod', 'dev'], path: `/${tag}` }],
        ['alpha', { tags: [tag, 'prod'], path: `/${tag}/svc` }],
        ['bravo', { tags: [tag, 'dev'], type: 'key_value', path: `/${tag}/svc/api` }],
        ['delta', { tags: [tag], path: `/${tag}/svc`, ephemeral_policy: { time_to_live: '3600s', action: 'disable' } }],
        ['echo', { tags: [tag, 'prod'], path: `/${tag}/old` }],
      ];
      for (const [name, body] of fixtures) {
        ids[name] = String((await api.createSecret({ name: `${tag}-${name}`, ...body })).id);
      }
      assert.equal((await api.del(`/secrets/${ids.echo ?? ''}`)).status, 204);
    });
    after(async () => stop());

    it('tags: repeated keys, a secret must carry all of them', async () => {
      assert.deepEqual(await list({}), { names: ['alpha', 'bravo', 'charlie', 'delta'], total: 4 });
      assert.deepEqual(await list({ tags: [tag, 'prod'] }), { names: ['alpha', 'charlie'], total: 2 });
      assert.deepEqual(await list({ tags: [tag, 'prod', 'dev'] }), { names: ['charlie'], total: 1 });
      assert.deepEqual(await list({ tags: [tag, 'nope'] }), { names: [], total: 0 });
    });

    it('name, path, type, ephemeral and project filters', async () => {
      assert.deepEqual(await list({ name: `${tag}-alpha` }), { names: ['alpha'], total: 1 });
      assert.deepEqual(await list({ name: `${tag}-alph` }), { names: [], total: 0 }, 'the name filter is exact');
      assert.deepEqual(await list({ path: `/${tag}/svc` }), { names: ['alpha', 'delta'], total: 2 });
      assert.deepEqual(await list({ path: `/${tag}/svc/` }), { names: ['alpha', 'delta'], total: 2 });
      assert.deepEqual(await list({ type: 'key_value' }), { names: ['bravo'], total: 1 });
      assert.deepEqual(await list({ type: 'unknown_type' }), { names: ['alpha', 'bravo', 'charlie', 'delta'], total: 4 });
      assert.deepEqual(await list({ ephemeral: 'true' }), { names: ['delta'], total: 1 });
      assert.deepEqual(await list({ ephemeral: 'false' }), { names: ['alpha', 'bravo', 'charlie'], total: 3 });
      assert.deepEqual((await list({ project_id: server.projectId })).total, 4);
      assertInvalidArgument(await api.get('/secrets', { query: { type: 'bogus' } }), 'type');
      assertInvalidArgument(await api.get('/secrets', { query: { project_id: 'not-a-uuid' } }), 'project_id');
      const foreign = await api.get('/secrets', { query: { project_id: randomUUID() } });
      assert.ok([403, 404].includes(foreign.status), `foreign project: ${foreign.status} ${foreign.text}`);
      assert.ok(['permissions_denied', 'not_found'].includes(String((foreign.json as Json).type)), foreign.text);
    });

    it('scheduled_for_deletion in Go, JS and Python spellings', async () => {
      for (const value of ['false', 'False', 'FALSE']) {
        assert.deepEqual(await list({ scheduled_for_deletion: value }), { names: ['alpha', 'bravo', 'charlie', 'delta'], total: 4 });
      }
      for (const value of ['true', 'True']) {
        assert.deepEqual(await list({ scheduled_for_deletion: value }), { names: ['echo'], total: 1 });
      }
      assertInvalidArgument(await api.get('/secrets', { query: { scheduled_for_deletion: 'maybe' } }), 'scheduled_for_deletion');
    });

    it('what the Go SDK always sends means no filter', async () => {
      const query = { order_by: 'name_asc', page: 1, project_id: '', scheduled_for_deletion: 'false', type: 'unknown_type' };
      assert.deepEqual(await list(query), { names: ['alpha', 'bravo', 'charlie', 'delta'], total: 4 });
      const browse = await api.ok('GET', '/secrets/browse', { query: { order_by: 'name_asc', type: 'unknown_type', prefix: '' } });
      assert.equal(browse.current_path, '/');
      assert.ok((browse.items as Json[]).some((item) => item.name === tag && 'folder' in item), JSON.stringify(browse));
    });

    it('pagination: exact total_count on every page; page_size=0 is the default', async () => {
      assert.deepEqual(await list({ page_size: 0 }), { names: ['alpha', 'bravo', 'charlie', 'delta'], total: 4 });
      assert.deepEqual(await list({ page_size: 3, page: 1 }), { names: ['alpha', 'bravo', 'charlie'], total: 4 });
      assert.deepEqual(await list({ page_size: 3, page: 2 }), { names: ['delta'], total: 4 });
      assert.deepEqual(await list({ page_size: 3, page: 3 }), { names: [], total: 4 });
      assertInvalidArgument(await api.get('/secrets', { query: { page: 0 } }), 'page');
    });

    it('order_by: names, creation and update times, both directions', async () => {
      assert.deepEqual((await list({ order_by: 'name_desc' })).names, ['delta', 'charlie', 'bravo', 'alpha']);
      assert.deepEqual((await list({ order_by: 'created_at_asc' })).names, ['charlie', 'alpha', 'bravo', 'delta']);
      assert.deepEqual((await list({ order_by: 'created_at_desc' })).names, ['delta', 'bravo', 'alpha', 'charlie']);
      await api.ok('PATCH', `/secrets/${ids.alpha ?? ''}`, { body: { description: 'touched' } });
      assert.deepEqual((await list({ order_by: 'updated_at_desc' })).names, ['alpha', 'delta', 'bravo', 'charlie']);
      assert.deepEqual((await list({ order_by: 'updated_at_asc' })).names, ['charlie', 'bravo', 'delta', 'alpha']);
      assertInvalidArgument(await api.get('/secrets', { query: { order_by: 'size_desc' } }), 'order_by');
    });

    it('name order compares code units, not locale collation', async () => {
      const group = uniqueName('cu');
      for (const suffix of ['a', '_Z', 'B', '-y', 'aa', 'a-b', 'Ab']) {
        await api.createSecret({ name: `x${suffix}`, tags: [group], path: `/${group}` });
      }
      const names = (await api.ok('GET', '/secrets', { query: { tags: group } })).secrets as Json[];
      const expected = ['x-y', 'xAb', 'xB', 'x_Z', 'xa', 'xa-b', 'xaa'];
      assert.deepEqual(names.map((secret) => secret.name), expected);
      const reversed = (await api.ok('GET', '/secrets', { query: { tags: group, order_by: 'name_desc' } })).secrets as Json[];
      assert.deepEqual(reversed.map((secret) => secret.name), [...expected].reverse());
      const browsed = await api.ok('GET', '/secrets/browse', { query: { prefix: `/${group}` } });
      assert.deepEqual((browsed.items as Json[]).map((item) => item.name), expected);
    });

    it('browse: folders hold a secret at any depth; scheduled secrets do not count', async () => {
      const root = await api.ok('GET', '/secrets/browse', { query: { prefix: `/${tag}` } });
      assert.equal(root.current_path, `/${tag}`);
      assert.equal(root.total_count, 2);
      const items = root.items as Json[];
      assert.deepEqual(items.map((item) => [item.name, 'secret' in item ? 'secret' : 'folder']), [
        [`${tag}-charlie`, 'secret'],
        ['svc', 'folder'],
      ]);
      const [secretItem, folder] = items as [Json, Json];
      assert.deepEqual(Object.keys(secretItem), ['name', 'created_at', 'updated_at', 'secret']);
      assert.deepEqual(secretItem.secret, { id: ids.charlie, tags: [tag, 'prod', 'dev'], version_count: 0, protected: false, ephemeral_policy: null, type: 'opaque' });
      assert.deepEqual(folder.folder, {});
      assert.match(String(folder.created_at), TIMESTAMP);
      const svc = await api.ok('GET', '/secrets/browse', { query: { prefix: `/${tag}/svc/`, order_by: 'name_desc' } });
      assert.deepEqual((svc.items as Json[]).map((item) => item.name), [`${tag}-delta`, `${tag}-alpha`, 'api']);
      const typed = await api.ok('GET', '/secrets/browse', { query: { prefix: `/${tag}`, type: 'key_value' } });
      assert.deepEqual((typed.items as Json[]).map((item) => item.name), ['svc']);
      const paged = await api.ok('GET', '/secrets/browse', { query: { prefix: `/${tag}/svc`, page_size: 2, page: 2 } });
      assert.deepEqual([(paged.items as Json[]).length, paged.total_count], [1, 3]);
      assertInvalidArgument(await api.get('/secrets/browse', { query: { prefix: 'relative' } }), 'prefix');
    });

    it('ListTags and ListSecretTypes', async () => {
      const tags = await api.ok('GET', '/tags', { query: { project_id: server.projectId } });
      const names = tags.tags as string[];
      assert.ok(names.includes(tag) && names.includes('prod') && names.includes('dev'), JSON.stringify(tags));
      assert.equal(tags.total_count, names.length);
      assert.equal(new Set(names).size, names.length);
      const page = await api.ok('GET', '/tags', { query: { page_size: 1, page: 2 } });
      assert.deepEqual([(page.tags as string[]).length, page.total_count], [1, names.length]);
      const types = await api.ok('GET', '/secret-types', { query: { project_id: server.projectId } });
      assert.deepEqual([...(types.types as string[])].sort(), ['key_value', 'opaque']);
      assert.equal(types.total_count, 2);
    });

    it('Python style: a `{}` body without Content-Type on GET and DELETE is ignored', async () => {
      const headers = { 'x-auth-token': server.secretKey };
      const got = await rawHttp(`${api.base}/secrets/${ids.alpha ?? ''}`, 'GET', headers, '{}');
      assert.equal(got.status, 200, got.text);
      assert.equal(got.headers['content-type'], 'application/json');
      assert.equal((JSON.parse(got.text) as Json).id, ids.alpha);
      const listed = await rawHttp(`${api.base}/secrets?tags=${tag}&scheduled_for_deletion=False&page_size=0`, 'GET', headers, '{}');
      assert.equal((JSON.parse(listed.text) as Json).total_count, 4, listed.text);
      const secret = await api.createSecret({ name: uniqueName('py') });
      const deleted = await rawHttp(`${api.base}/secrets/${String(secret.id)}`, 'DELETE', headers, '{}');
      assert.equal(deleted.status, 204, deleted.text);
      assert.equal(deleted.text, '');
      const version = await rawHttp(`${api.base}/secrets/${ids.alpha ?? ''}/versions/1`, 'GET', headers, '{}');
      assertScalewayError({ status: version.status, headers: new Headers({ 'content-type': String(version.headers['content-type']) }), text: version.text, json: JSON.parse(version.text) }, 404, 'not_found');
    });
  });
}
