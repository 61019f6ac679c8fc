import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import { ENGINES, startServerOn, type TestServer } from '../helpers/server.js';
import {
  ACCESS_KEYS,
  assertInvalidArgument,
  assertJsonContentType,
  assertScalewayError,
  b64,
  rawFetch,
  SECRET_KEYS,
  TIMESTAMP,
  unb64,
  uniqueName,
  UUID,
  VERSION_KEYS,
  wire,
  type Wire,
} from '../helpers/wire.js';

/** The bytes on the wire: statuses, headers, key order, timestamps and version semantics. */
type Json = Record<string, unknown>;

const keysOf = (text: string): string[] => Object.keys(JSON.parse(text) as Json);

for (const engine of ENGINES) {
  describe(`Scaleway wire format on ${engine}`, () => {
    let stop: () => Promise<void>;
    let server: TestServer;
    let api: Wire;

    before(async () => {
      const started = await startServerOn(engine);
      server = started.server;
      stop = started.stop;
      api = wire(server);
    });
    after(async () => stop());

    it('CreateSecret answers 200 with every field, in recorded order, as exact application/json', async () => {
      const name = uniqueName('shape');
      const created = await api.post('/secrets', { project_id: server.projectId, name, tags: null, type: 'opaque', path: '/', protected: true });
      assert.equal(created.status, 200, created.text);
      assertJsonContentType(created);
      assert.deepEqual(keysOf(created.text), SECRET_KEYS);
      const secret = created.json as Json;
      assert.match(String(secret.id), UUID);
      assert.equal(secret.project_id, server.projectId);
      assert.equal(secret.name, name);
      assert.equal(secret.status, 'ready');
      assert.match(String(secret.created_at), TIMESTAMP);
      assert.equal(secret.updated_at, secret.created_at);
      assert.deepEqual(secret.tags, []);
      assert.equal(secret.version_count, 0);
      assert.equal(secret.description, '');
      assert.equal(secret.managed, false);
      assert.equal(secret.protected, true);
      assert.equal(secret.type, 'opaque');
      assert.equal(secret.path, '/');
      assert.equal(secret.ephemeral_policy, null);
      assert.deepEqual(secret.used_by, []);
      assert.equal(secret.deletion_requested_at, null);
      assert.equal(secret.key_id, null);
      assert.equal(secret.region, 'fr-par');

      const got = await api.get(`/secrets/${String(secret.id)}`);
      assertJsonContentType(got);
      assert.equal(got.text, created.text);
    });

    it('versions and access bodies carry every field in order; data is padded base64', async () => {
      const secret = await api.createSecret({ name: uniqueName('ver-shape') });
      const id = String(secret.id);
      const created = await api.post(`/secrets/${id}/versions`, { data: 'bXlfc3VwZXJfc2VjcmV0', description: 'version1' });
      assert.equal(created.status, 200, created.text);
      assertJsonContentType(created);
      assert.deepEqual(keysOf(created.text), VERSION_KEYS);
      const version = created.json as Json;
      assert.equal(version.revision, 1);
      assert.equal(version.secret_id, id);
      assert.equal(version.status, 'enabled');
      assert.match(String(version.created_at), TIMESTAMP);
      assert.equal(version.updated_at, version.created_at);
      assert.equal(version.deleted_at, null);
      assert.equal(version.description, 'version1');
      assert.equal(version.latest, true);
      assert.equal(version.ephemeral_properties, null);
      assert.equal(version.deletion_requested_at, null);
      assert.equal(version.region, 'fr-par');

      await api.addVersion(id, 'ab');
      const access = await api.get(`/secrets/${id}/versions/latest/access`);
      assertJsonContentType(access);
      assert.deepEqual(keysOf(access.text), ACCESS_KEYS);
      assert.deepEqual(access.json, { secret_id: id, revision: 2, data: 'YWI=', data_crc32: null, type: 'opaque' });

      const upper = await api.get(`/secrets/${id.toUpperCase()}`);
      assert.equal((upper.json as Json).id, id, 'ids are case-insensitive UUIDs');
      const patched = await api.ok('PATCH', `/secrets/${id}/versions/1`, { body: { description: 'renamed' } });
      assert.equal(patched.created_at, version.created_at);
      assert.ok(String(patched.updated_at) > String(version.updated_at), 'a version PATCH bumps its updated_at');
      const list = await api.get(`/secrets/${id}/versions`, { query: { page: 1 } });
      assert.deepEqual(keysOf(list.text), ['versions', 'total_count']);
      const listed = list.json as { versions: Json[]; total_count: number };
      assert.deepEqual(listed.versions.map((item) => [item.revision, item.latest]), [[2, true], [1, false]]);
      assert.equal(listed.total_count, 2);
      const reread = await api.ok('GET', `/secrets/${id}`);
      assert.equal(reread.version_count, 2);
      assert.equal(reread.updated_at, secret.updated_at, 'adding a version leaves the secret updated_at alone');
    });

    it('DELETE secret, DELETE version and add-owner answer 204 with an empty body', async () => {
      const id = String((await api.createSecret({ name: uniqueName('no-content') })).id);
      await api.addVersion(id, 'x');
      const owner = await api.post(`/secrets/${id}/add-owner`, { product: 'edge_services' });
      assert.equal(owner.status, 204);
      assert.equal(owner.text, '');
      const version = await api.del(`/secrets/${id}/versions/1`);
      assert.equal(version.status, 204);
      assert.equal(version.text, '');
      const secret = await api.del(`/secrets/${id}`);
      assert.equal(secret.status, 204);
      assert.equal(secret.text, '');
      const listing = await api.get('/secrets', { query: { scheduled_for_deletion: true, name: uniqueName('none') } });
      assertJsonContentType(listing);
      assert.deepEqual(listing.json, { secrets: [], total_count: 0 });
    });

    it('latest, latest_enabled and disable_previous', async () => {
      const id = String((await api.createSecret({ name: uniqueName('latest') })).id);
      await api.addVersion(id, 'one');
      await api.addVersion(id, 'two');
      assert.equal((await api.ok('GET', `/secrets/${id}/versions/1`)).latest, false);
      assert.equal((await api.ok('GET', `/secrets/${id}/versions/latest`)).revision, 2);
      assert.equal((await api.ok('POST', `/secrets/${id}/versions/2/disable`, { body: {} })).status, 'disabled');
      const refused = await api.get(`/secrets/${id}/versions/latest/access`);
      assertScalewayError(refused, 412, 'precondition_failed');
      const enabled = await api.ok('GET', `/secrets/${id}/versions/latest_enabled/access`);
      assert.deepEqual([enabled.revision, unb64(enabled.data)], [1, 'one']);
      assert.equal((await api.ok('GET', `/secrets/${id}/versions/latest_enabled`)).revision, 1);

      const third = await api.addVersion(id, 'three', { disable_previous: true });
      assert.deepEqual([third.revision, third.status, third.latest], [3, 'enabled', true]);
      assert.equal((await api.ok('GET', `/secrets/${id}/versions/2`)).status, 'disabled', 'already disabled: unchanged');
      assert.equal((await api.ok('GET', `/secrets/${id}/versions/1`)).status, 'enabled', 'only the previous latest is touched');
      await api.addVersion(id, 'four', { disable_previous: true });
      assert.equal((await api.ok('GET', `/secrets/${id}/versions/3`)).status, 'disabled');
      assert.equal((await api.ok('GET', `/secrets/${id}/versions/4`)).status, 'enabled');
    });

    it('data_crc32: IEEE CRC-32 of the decoded bytes, echoed on access; a wrong one is refused', async () => {
      const id = String((await api.createSecret({ name: uniqueName('crc') })).id);
      const payload = Buffer.from('checksummed payload \u00e9');
      const checksum = crc32(payload);
      const good = await api.post(`/secrets/${id}/versions`, { data: b64(payload), data_crc32: checksum });
      assert.equal(good.status, 200, good.text);
      const access = await api.ok('GET', `/secrets/${id}/versions/1/access`);
      assert.equal(access.data_crc32, checksum);
      assert.equal(unb64(access.data), payload.toString());

      const bad = await api.post(`/secrets/${id}/versions`, { data: b64(payload), data_crc32: (checksum ^ 1) >>> 0 });
      assertInvalidArgument(bad, 'data_crc32');
      assert.equal((await api.ok('GET', `/secrets/${id}`)).version_count, 1, 'nothing written on a CRC mismatch');
    });

    it('ephemeral policy: TTL echoed as whole seconds, version expiry derived, read-once refused twice', async () => {
      const created = await api.createSecret({
        name: uniqueName('eph'),
        ephemeral_policy: { time_to_live: '1800.000000000s', expires_once_accessed: false, action: 'disable' },
      });
      assert.deepEqual(created.ephemeral_policy, { time_to_live: '1800s', expires_once_accessed: false, action: 'disable' });
      const id = String(created.id);
      const version = await api.addVersion(id, 'temp');
      const properties = version.ephemeral_properties as Json;
      assert.deepEqual(Object.keys(properties), ['expires_at', 'expires_once_accessed', 'action']);
      assert.match(String(properties.expires_at), TIMESTAMP);
      const ttl = Date.parse(String(properties.expires_at)) - Date.parse(String(version.created_at));
      assert.ok(Math.abs(ttl - 1800_000) <= 1, `expires_at - created_at = ${ttl} ms`);
      assert.deepEqual([properties.expires_once_accessed, properties.action], [false, 'disable']);
      const patched = await api.ok('PATCH', `/secrets/${id}`, {
        body: { ephemeral_policy: { time_to_live: '18000.000000000s', expires_once_accessed: true, action: 'delete' } },
      });
      assert.deepEqual(patched.ephemeral_policy, { time_to_live: '18000s', expires_once_accessed: true, action: 'delete' });

      const once = String((await api.createSecret({ name: uniqueName('once'), ephemeral_policy: { expires_once_accessed: true, action: 'disable' } })).id);
      await api.addVersion(once, 'read me once');
      assert.equal(unb64((await api.ok('GET', `/secrets/${once}/versions/1/access`)).data), 'read me once');
      const second = await api.get(`/secrets/${once}/versions/1/access`);
      const error = assertScalewayError(second, 412, 'precondition_failed');
      assert.equal(typeof error.precondition, 'string');
      assert.equal((await api.ok('GET', `/secrets/${once}/versions/1`)).status, 'disabled');

      const gone = await api.del(`/secrets/${once}`);
      assert.equal(gone.status, 204);
      const missing = assertScalewayError(await api.get(`/secrets/${once}`), 404, 'not_found');
      assert.deepEqual(missing, { message: 'resource is not found', resource: 'secret', resource_id: once, type: 'not_found' });
    });

    it('soft delete of a secret: still readable, hidden from lists, restorable', async () => {
      const name = uniqueName('soft');
      const secret = await api.createSecret({ name });
      const id = String(secret.id);
      await api.addVersion(id, 'kept');
      await api.addVersion(id, 'off');
      await api.ok('POST', `/secrets/${id}/versions/2/disable`, { body: {} });
      assert.equal((await api.del(`/secrets/${id}`)).status, 204);
      const scheduled = await api.ok('GET', `/secrets/${id}`);
      assert.match(String(scheduled.deletion_requested_at), TIMESTAMP);
      assert.equal(scheduled.updated_at, scheduled.deletion_requested_at);
      assert.equal(scheduled.status, 'ready');
      assert.equal(scheduled.version_count, 2);
      assertScalewayError(await api.patch(`/secrets/${id}`, { description: 'no' }), 412, 'precondition_failed');
      assertScalewayError(await api.post(`/secrets/${id}/versions`, { data: b64('no') }), 412, 'precondition_failed');
      assert.equal((await api.ok('GET', '/secrets', { query: { name } })).total_count, 0);
      assert.equal((await api.ok('GET', '/secrets', { query: { name, scheduled_for_deletion: 'false' } })).total_count, 0);
      const pending = await api.ok('GET', '/secrets', { query: { name, scheduled_for_deletion: 'true' } });
      assert.deepEqual((pending.secrets as Json[]).map((item) => item.id), [id]);
      assert.equal((await api.del(`/secrets/${id}`)).status, 204, 'deleting again is idempotent');

      const restored = await api.ok('POST', `/secrets/${id}/restore`, { body: {} });
      assert.equal(restored.deletion_requested_at, null);
      assert.equal((await api.ok('GET', '/secrets', { query: { name } })).total_count, 1);
      assert.equal(unb64((await api.ok('GET', `/secrets/${id}/versions/1/access`)).data), 'kept');
      assert.equal((await api.ok('GET', `/secrets/${id}/versions/2`)).status, 'disabled', 'restore brings back the status before deletion');
      assertScalewayError(await api.post(`/secrets/${id}/restore`, {}), 412, 'precondition_failed');
    });

    it('soft delete of a version: scheduled_for_deletion, then restore', async () => {
      const id = String((await api.createSecret({ name: uniqueName('vsoft') })).id);
      const original = await api.addVersion(id, 'v1');
      assert.equal((await api.del(`/secrets/${id}/versions/1`)).status, 204);
      const scheduled = await api.ok('GET', `/secrets/${id}/versions/1`);
      assert.equal(scheduled.status, 'scheduled_for_deletion');
      assert.match(String(scheduled.deletion_requested_at), TIMESTAMP);
      assert.equal(scheduled.deleted_at, null);
      assert.equal(scheduled.updated_at, original.updated_at);
      assert.equal(scheduled.latest, true, 'latest is by revision, whatever the status');
      assertScalewayError(await api.get(`/secrets/${id}/versions/1/access`), 412, 'precondition_failed');
      await api.addVersion(id, 'v2');
      const list = await api.ok('GET', `/secrets/${id}/versions`, { query: { page: 1 } });
      assert.deepEqual((list.versions as Json[]).map((item) => [item.revision, item.status, item.latest]), [
        [2, 'enabled', true],
        [1, 'scheduled_for_deletion', false],
      ]);
      assert.equal((await api.ok('GET', `/secrets/${id}`)).version_count, 2);
      const restored = await api.ok('POST', `/secrets/${id}/versions/1/restore`, { body: {} });
      assert.deepEqual([restored.status, restored.deletion_requested_at], ['enabled', null]);
      assert.equal(unb64((await api.ok('GET', `/secrets/${id}/versions/1/access`)).data), 'v1');
    });

    it('typed payloads: key_value and database_credentials rules', async () => {
      const kv = String((await api.createSecret({ name: uniqueName('kv'), type: 'key_value' })).id);
      const accepted = await api.post(`/secrets/${kv}/versions`, { data: 'eyJrZXkiOiAidmFsdWUifQ==' });
      assert.equal(accepted.status, 200, accepted.text);
      const rejected = await api.post(`/secrets/${kv}/versions`, { data: 'eyJrZXkiOiAidmFsdWUiLCAiaW52YWxpZCI6IHt9fQ==' });
      assert.equal(rejected.status, 400);
      assertJsonContentType(rejected);
      assert.deepEqual(rejected.json, {
        details: [{ argument_name: 'data', help_message: '- invalid: Invalid type. Expected: string, given: object\n', reason: 'format' }],
        message: 'invalid argument(s)',
        type: 'invalid_arguments',
      });
      assertInvalidArgument(await api.post(`/secrets/${kv}/versions`, { data: b64('not json') }), 'data');
      assertInvalidArgument(await api.post(`/secrets/${kv}/versions`, { data: b64('["a"]') }), 'data');

      const db = String((await api.createSecret({ name: uniqueName('db'), type: 'database_credentials' })).id);
      const base = { engine: 'postgres', username: 'u', password: 'p', host: 'db.local', dbname: 'app' };
      for (const port of ['5432', '0', '65535']) {
        const ok = await api.post(`/secrets/${db}/versions`, { data: b64(JSON.stringify({ ...base, port })) });
        assert.equal(ok.status, 200, `port ${port}: ${ok.text}`);
      }
      for (const port of [5432, '65536', 'abc', '-1', '54 32', '']) {
        const bad = await api.post(`/secrets/${db}/versions`, { data: b64(JSON.stringify({ ...base, port })) });
        const detail = assertInvalidArgument(bad, 'data');
        assert.match(String(detail.help_message), /^- port: .*\n$/, `port ${JSON.stringify(port)}`);
      }
      const noHost = await api.post(`/secrets/${db}/versions`, { data: b64(JSON.stringify({ ...base, host: undefined, port: '1' })) });
      assertInvalidArgument(noHost, 'data');
      assert.equal((await api.ok('GET', `/secrets/${db}`)).version_count, 3);
    });

    it('names are unique per project and path (409 already_exists); paths are normalized', async () => {
      const name = uniqueName('unique');
      const first = await api.createSecret({ name, path: '/team/app/' });
      assert.equal(first.path, '/team/app');
      const clash = await api.post('/secrets', { project_id: server.projectId, name, path: '/team/app' });
      const error = assertScalewayError(clash, 409, 'already_exists');
      assert.equal(error.message, 'resource already exists');
      assert.equal(typeof error.help_message, 'string');
      assert.equal(typeof error.resource_id, 'string');
      const elsewhere = await api.post('/secrets', { project_id: server.projectId, name, path: '/team' });
      assert.equal(elsewhere.status, 200, 'same name in another folder is fine');
      assert.equal((await api.ok('GET', '/secrets', { query: { name } })).total_count, 2);

      const id = String(first.id);
      for (const [sent, stored] of [['/test-secret-path-change/', '/test-secret-path-change'], ['/a//b/', '/a/b'], ['/', '/']]) {
        assert.equal((await api.ok('PATCH', `/secrets/${id}`, { body: { path: sent } })).path, stored);
      }
      for (const bad of ['no-slash', '/a/../b', '/sp ace']) {
        assertInvalidArgument(await api.patch(`/secrets/${id}`, { path: bad }), 'path');
      }
    });

    it('unauthenticated calls get 401 denied_authentication; /metadata answers', async () => {
      const anonymous = await api.get('/secrets', { anonymous: true });
      const body = assertScalewayError(anonymous, 401, 'denied_authentication');
      assert.deepEqual(body, { message: 'authentication is denied', method: 'api_key', reason: 'invalid_argument', type: 'denied_authentication' });
      const unknown = await api.get('/secrets', { anonymous: true, headers: { 'x-auth-token': randomUUID() } });
      assert.equal(assertScalewayError(unknown, 401, 'denied_authentication').reason, 'not_found');
      const malformed = await api.get('/secrets', { anonymous: true, headers: { 'x-auth-token': 'not-a-uuid' } });
      assert.equal(assertScalewayError(malformed, 401, 'denied_authentication').reason, 'invalid_argument');
      const creating = await api.post('/secrets', { name: uniqueName('anon') }, { anonymous: true });
      assertScalewayError(creating, 401, 'denied_authentication');

      const metadata = await rawFetch(`${server.url}/metadata`, {});
      assert.equal(metadata.status, 200);
      assertJsonContentType(metadata);
      assert.deepEqual(metadata.json, { platform: 'external', partition: 'scw', domain: 'scw.eu' });
    });
  });
}
