import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ENGINES, startServerOn, type TestServer } from '../helpers/server.js';
import {
  assertInvalidArgument,
  assertScalewayError,
  b64,
  uniqueName,
  wire,
  type Wire,
  type WireResponse,
} from '../helpers/wire.js';

/**
 * Bad input gets a 4xx in Scaleway's envelope, never a 5xx, and leaves nothing behind:
 * after every test the number of secrets, versions and tags is what it was before.
 */
type Json = Record<string, unknown>;

/** Any 4xx in Scaleway's shape: a JSON body with a `type`. */
const assert4xx = (response: WireResponse, context: string): Json => {
  assert.ok(response.status >= 400 && response.status < 500, `${context}: ${response.status} ${response.text}`);
  assert.equal(response.headers.get('content-type'), 'application/json', context);
  const body = response.json as Json;
  assert.equal(typeof body?.type, 'string', `${context}: ${response.text}`);
  return body;
};

for (const engine of ENGINES) {
  describe(`bad input on ${engine}`, () => {
    let stop: () => Promise<void>;
    let server: TestServer;
    let api: Wire;
    let secretId: string;
    let keyValueId: string;
    let baseline: string;

    /** Everything a half-written request could leave behind, as one comparable string. */
    const snapshot = async (): Promise<string> => {
      const live = await api.ok('GET', '/secrets', { query: { page_size: 100 } });
      const scheduled = await api.ok('GET', '/secrets', { query: { page_size: 100, scheduled_for_deletion: true } });
      const tags = await api.ok('GET', '/tags', { query: { page_size: 100 } });
      const versions = await api.ok('GET', `/secrets/${secretId}/versions`, { query: { page_size: 100 } });
      const strip = (secrets: unknown) => (secrets as Json[]).map(({ id, name, version_count, tags: t, path, description }) => ({ id, name, version_count, t, path, description }));
      return JSON.stringify([strip(live.secrets), strip(scheduled.secrets), tags, versions]);
    };

    before(async () => {
      const started = await startServerOn(engine);
      server = started.server;
      stop = started.stop;
      api = wire(server);
      secretId = String((await api.createSecret({ name: 'target', tags: ['keep'] })).id);
      await api.addVersion(secretId, 'v1');
      keyValueId = String((await api.createSecret({ name: 'kv', type: 'key_value' })).id);
    });
    beforeEach(async () => {
      baseline = await snapshot();
    });
    const assertUnchanged = async () => assert.equal(await snapshot(), baseline, 'a refused request changed the store');
    after(async () => stop());

    it('malformed JSON bodies', async () => {
      for (const body of ['{"name":', '{name: "x"}', "{'name':'x'}", 'nul', '{"name":"a"}}', '\u0000']) {
        const created = await api.post('/secrets', body);
        assertInvalidArgument(created, 'body');
        assert4xx(await api.patch(`/secrets/${secretId}`, body), `PATCH ${JSON.stringify(body)}`);
        assert4xx(await api.post(`/secrets/${secretId}/versions`, body), `POST version ${JSON.stringify(body)}`);
      }
      for (const body of ['null', '[]', '"text"', '42', 'true']) {
        assert4xx(await api.post('/secrets', body), `create with ${body}`);
        assert4xx(await api.post(`/secrets/${secretId}/versions`, body), `version with ${body}`);
      }
      await assertUnchanged();
    });

    it('wrong JSON types', async () => {
      const cases: [string | RegExp, Json][] = [
        ['name', { name: 42 }],
        ['name', { name: null }],
        ['tags', { name: uniqueName(), tags: 'prod' }],
        [/^tags(\.0)?$/, { name: uniqueName(), tags: [1, 2] }],
        ['protected', { name: uniqueName(), protected: 'yes' }],
        ['description', { name: uniqueName(), description: { text: 'x' } }],
        ['path', { name: uniqueName(), path: 7 }],
        ['ephemeral_policy', { name: uniqueName(), ephemeral_policy: 'forever' }],
      ];
      for (const [field, body] of cases) {
        const detail = assertInvalidArgument(await api.post('/secrets', { project_id: server.projectId, ...body }), field);
        assert.equal(typeof detail.help_message, 'string');
      }
      assertInvalidArgument(await api.patch(`/secrets/${secretId}`, { name: 5 }), 'name');
      assertInvalidArgument(await api.patch(`/secrets/${secretId}`, { tags: [null] }), /^tags(\.0)?$/);
      assertInvalidArgument(await api.post(`/secrets/${secretId}/versions`, { data: 12 }), 'data');
      assertInvalidArgument(await api.post(`/secrets/${secretId}/versions`, {}), 'data');
      assertInvalidArgument(await api.post(`/secrets/${secretId}/versions`, { data: 'eA==', disable_previous: 'yes' }), 'disable_previous');
      assertInvalidArgument(await api.patch(`/secrets/${secretId}/versions/1`, { description: ['x'] }), 'description');
      assertInvalidArgument(await api.post(`/secrets/${secretId}/add-owner`, { product: 'bogus' }), 'product');
      await assertUnchanged();
    });

    it('a value of the wrong type is a format problem; only an absent one is "required"', async () => {
      const absent = assertInvalidArgument(await api.post('/secrets', { project_id: server.projectId }), 'name');
      assert.equal(absent.reason, 'required');
      const wrongType = assertInvalidArgument(await api.post('/secrets', { project_id: server.projectId, name: 42 }), 'name');
      assert.equal(wrongType.reason, 'format', JSON.stringify(wrongType));
      assert.doesNotMatch(String(wrongType.help_message), /required/);
      const element = assertInvalidArgument(await api.patch(`/secrets/${secretId}`, { tags: ['ok', 7] }), /^tags(\.1)?$/);
      assert.equal(element.reason, 'format', JSON.stringify(element));
      await assertUnchanged();
    });

    it('names, paths, descriptions, tags and policies out of bounds', async () => {
      const create = (body: Json) => api.post('/secrets', { project_id: server.projectId, name: uniqueName(), ...body });
      assertInvalidArgument(await create({ name: '' }), 'name');
      assertInvalidArgument(await create({ name: 'a/b' }), 'name');
      assertInvalidArgument(await create({ name: 'x'.repeat(256) }), 'name');
      assertInvalidArgument(await create({ path: 'relative' }), 'path');
      assertInvalidArgument(await create({ path: '/a/../b' }), 'path');
      assertInvalidArgument(await create({ description: 'd'.repeat(1025) }), 'description');
      assertInvalidArgument(await create({ tags: [''] }), 'tags');
      assertInvalidArgument(await create({ project_id: 'nope' }), 'project_id');
      assertInvalidArgument(await create({ key_id: 'nope' }), 'key_id');
      assertInvalidArgument(await create({ type: 'password' }), 'type');
      assertInvalidArgument(await create({ ephemeral_policy: { time_to_live: '10m', action: 'delete' } }), 'ephemeral_policy.time_to_live');
      assert4xx(await create({ ephemeral_policy: { time_to_live: '0s', action: 'delete' } }), 'ttl 0s');
      assert4xx(await create({ ephemeral_policy: { time_to_live: '99999999s', action: 'delete' } }), 'ttl > 1 year');
      assert4xx(await create({ ephemeral_policy: { time_to_live: '60s' } }), 'policy without action');
      assert4xx(await create({ ephemeral_policy: { expires_once_accessed: false, action: 'delete' } }), 'policy without trigger');
      await assertUnchanged();
    });

    it('unknown regions', async () => {
      const elsewhere = wire(server, 'xx-yyy');
      assertInvalidArgument(await elsewhere.post('/secrets', { project_id: server.projectId, name: uniqueName() }), 'region');
      assertInvalidArgument(await elsewhere.get('/secrets'), 'region');
      assertInvalidArgument(await elsewhere.get(`/secrets/${secretId}`), 'region');
      assertInvalidArgument(await elsewhere.get(`/secrets/${secretId}/versions/1/access`), 'region');
      assertInvalidArgument(await elsewhere.del(`/secrets/${secretId}`), 'region');
      assert4xx(await elsewhere.get('/tags'), 'tags in xx-yyy');
      const other = await wire(server, 'nl-ams').get(`/secrets/${secretId}`);
      assertScalewayError(other, 404, 'not_found');
      await assertUnchanged();
    });

    it('ids that are not UUIDs, and unknown ids', async () => {
      for (const id of ['not-a-uuid', '123', `${secretId}x`, secretId.replace(/-/g, '')]) {
        assertInvalidArgument(await api.get(`/secrets/${id}`), 'secret_id');
        assertInvalidArgument(await api.del(`/secrets/${id}`), 'secret_id');
        assertInvalidArgument(await api.post(`/secrets/${id}/versions`, { data: 'eA==' }), 'secret_id');
        assertInvalidArgument(await api.get(`/secrets/${id}/versions/latest/access`), 'secret_id');
      }
      const unknown = '00000000-0000-4000-8000-000000000000';
      for (const response of [
        await api.get(`/secrets/${unknown}`),
        await api.post(`/secrets/${unknown}/versions`, { data: 'eA==' }),
        await api.get(`/secrets/${unknown}/versions/1`),
        await api.get(`/secrets/${unknown}/versions/latest/access`),
        await api.post(`/secrets/${unknown}/protect`, {}),
      ]) {
        const body = assertScalewayError(response, 404, 'not_found');
        assert.deepEqual([body.resource, body.resource_id], ['secret', unknown]);
      }
      await assertUnchanged();
    });

    it('revisions: 0, -1, abc, 1.5 and friends are 400; unknown large ones are 404', async () => {
      for (const revision of ['0', '-1', 'abc', '1.5', '1e2', '01', 'LATEST', '4294967296', '99999999999999999999']) {
        for (const response of [
          await api.get(`/secrets/${secretId}/versions/${revision}`),
          await api.get(`/secrets/${secretId}/versions/${revision}/access`),
          await api.post(`/secrets/${secretId}/versions/${revision}/disable`, {}),
          await api.del(`/secrets/${secretId}/versions/${revision}`),
        ]) {
          assertInvalidArgument(response, 'revision');
        }
      }
      for (const revision of ['2', '2147483647', '2147483648', '4294967295']) {
        const body = assertScalewayError(await api.get(`/secrets/${secretId}/versions/${revision}`), 404, 'not_found');
        assert.deepEqual([body.resource, body.resource_id], ['secret_version', revision]);
        assertScalewayError(await api.get(`/secrets/${secretId}/versions/${revision}/access`), 404, 'not_found');
        assertScalewayError(await api.post(`/secrets/${secretId}/versions/${revision}/enable`, {}), 404, 'not_found');
      }
      await assertUnchanged();
    });

    it('data: invalid base64, CRC mismatches, and the 64 KiB limit', async () => {
      for (const data of ['Y', 'YQ=', '%%%%', 'YWJj\n', '-_-_', 'YW Jj', 'YQ===']) {
        const detail = assertInvalidArgument(await api.post(`/secrets/${secretId}/versions`, { data }), 'data');
        assert.equal(detail.reason, 'format', data);
      }
      for (const data_crc32 of [1, -1, 1.5, '123', 2 ** 32]) {
        assertInvalidArgument(await api.post(`/secrets/${secretId}/versions`, { data: b64('x'), data_crc32 }), 'data_crc32');
      }
      const tooLarge = await api.post(`/secrets/${secretId}/versions`, { data: Buffer.alloc(65537, 7).toString('base64') });
      assert.equal(assertInvalidArgument(tooLarge, 'data').reason, 'constraint');
      assertInvalidArgument(await api.post(`/secrets/${keyValueId}/versions`, { data: b64('{"a": [1]}') }), 'data');
      await assertUnchanged();

      const limit = await api.post(`/secrets/${secretId}/versions`, { data: Buffer.alloc(65536, 9).toString('base64') });
      assert.equal(limit.status, 200, limit.text);
      const read = await api.ok('GET', `/secrets/${secretId}/versions/latest/access`);
      assert.deepEqual(Buffer.from(String(read.data), 'base64'), Buffer.alloc(65536, 9));
    });

    it('a body over 1 MiB is refused in Scaleway shape', async () => {
      const huge = JSON.stringify({ name: uniqueName(), description: 'd'.repeat(1024 * 1024) });
      const response = await api.post('/secrets', huge);
      assert.equal(response.status, 413, response.text);
      assertScalewayError(response, 413, 'invalid_arguments');
      const version = await api.post(`/secrets/${secretId}/versions`, { data: Buffer.alloc(800 * 1024).toString('base64') });
      assert4xx(version, 'base64 body over 1 MiB');
      await assertUnchanged();
    });

    it('listing parameters: order_by, type, page, page_size, status', async () => {
      assertInvalidArgument(await api.get('/secrets', { query: { order_by: 'name' } }), 'order_by');
      assertInvalidArgument(await api.get('/secrets/browse', { query: { order_by: 'random' } }), 'order_by');
      assertInvalidArgument(await api.get('/secrets', { query: { type: 'password' } }), 'type');
      assertInvalidArgument(await api.get('/secrets', { query: { page_size: 101 } }), 'page_size');
      assertInvalidArgument(await api.get('/secrets', { query: { page_size: -1 } }), 'page_size');
      assertInvalidArgument(await api.get('/secrets', { query: { page: 'two' } }), 'page');
      assertInvalidArgument(await api.get(`/secrets/${secretId}/versions`, { query: { status: 'gone' } }), 'status');
      assertInvalidArgument(await api.get('/secrets', { query: { ephemeral: 'yes' } }), 'ephemeral');
      await assertUnchanged();
    });

    it('NUL bytes and lone surrogates in strings never cause a 5xx', async () => {
      const attempts = [
        await api.post('/secrets', { project_id: server.projectId, name: uniqueName(), description: 'a\u0000b' }),
        await api.post('/secrets', { project_id: server.projectId, name: uniqueName(), tags: ['t\u0000'] }),
        await api.post('/secrets', { project_id: server.projectId, name: uniqueName(), description: '\ud800' }),
        await api.patch(`/secrets/${keyValueId}`, { description: 'x\u0000' }),
        await api.post(`/secrets/${secretId}/versions`, { data: b64('x'), description: '\u0000' }),
        await api.get('/secrets', { query: { name: '\u0000' } }),
        await api.get('/secrets', { query: { tags: '\u0000' } }),
        await api.get('/secrets', { query: { name: '\ud800' } }),
      ];
      const failures = attempts.flatMap((response, index) => (response.status < 500 ? [] : [`attempt ${index}: ${response.status} ${response.text}`]));
      assert.deepEqual(failures, []);
    });
  });
}
