import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { ENGINES, startServer, type TestServer } from '../helpers/server.js';
import { assertScalewayError, eventually, TIMESTAMP, unb64, uniqueName, wire, type Wire } from '../helpers/wire.js';

/**
 * The background job (purge after the retention window, ephemeral expiry) and the
 * process lifecycle: first start generates credentials once, SIGTERM exits 0, and a
 * restart on the same data keeps everything without generating anything new.
 */
type Json = Record<string, unknown>;

const FAST_MAINTENANCE = {
  COFFER_DELETION_RETENTION_SECONDS: '1',
  COFFER_MAINTENANCE_INTERVAL_SECONDS: '0.2',
  // No credentials given: the first start must generate and print them.
  COFFER_ROOT_ACCESS_KEY: '',
  COFFER_ROOT_SECRET_KEY: '',
  COFFER_DEFAULT_PROJECT_ID: '',
  COFFER_ORGANIZATION_ID: '',
};

const match = (output: string, pattern: RegExp): string => {
  const found = pattern.exec(output)?.[1];
  assert.ok(found, `no ${String(pattern)} in server output:\n${output}`);
  return found;
};

for (const engine of ENGINES) {
  describe(`background maintenance and restarts on ${engine}`, () => {
    let database: TestDatabase | undefined;
    let dataDir: string;
    let server: TestServer;
    let identity: Pick<TestServer, 'accessKey' | 'secretKey' | 'projectId' | 'organizationId'>;
    let api: Wire;
    let kept: { id: string; name: string };
    const storage = () => ({ storage: engine, ...(database ? { postgresUrl: database.url } : {}) });

    before(async () => {
      database = engine === 'postgres' ? await createTestDatabase() : undefined;
      dataDir = mkdtempSync(join(tmpdir(), 'coffer-lifecycle-'));
      server = await startServer({ ...storage(), dataDir, env: FAST_MAINTENANCE });
      const output = server.output();
      identity = {
        accessKey: match(output, /SCW_ACCESS_KEY=(\S+)/),
        secretKey: match(output, /SCW_SECRET_KEY=(\S+)/),
        organizationId: match(output, /Bootstrapped organization (\S+) with/),
        projectId: match(output, /with default project ([0-9a-f-]{36})/),
      };
      api = wire({ url: server.url, ...identity });
    });
    after(async () => {
      await server.stop();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('the first start generated working credentials for the default project', async () => {
      const secret = await api.createSecret({ name: uniqueName('kept') });
      assert.equal(secret.project_id, identity.projectId);
      kept = { id: String(secret.id), name: String(secret.name) };
      await api.addVersion(kept.id, 'persisted across restarts');
    });

    it('purges a soft-deleted secret, and erases a soft-deleted version, after the retention window', async () => {
      const doomed = String((await api.createSecret({ name: uniqueName('doomed') })).id);
      await api.addVersion(doomed, 'bye');
      const holder = String((await api.createSecret({ name: uniqueName('holder') })).id);
      await api.addVersion(holder, 'one');
      await api.addVersion(holder, 'two');
      assert.equal((await api.del(`/secrets/${doomed}`)).status, 204);
      assert.equal((await api.del(`/secrets/${holder}/versions/1`)).status, 204);
      assert.equal((await api.get(`/secrets/${doomed}`)).status, 200, 'still readable during the window');

      const purged = await eventually(async () => (await api.get(`/secrets/${doomed}`)).status === 404, 6000);
      assert.ok(purged, 'the secret was not purged within 6 s');
      const gone = assertScalewayError(await api.get(`/secrets/${doomed}`), 404, 'not_found');
      assert.deepEqual([gone.resource, gone.resource_id], ['secret', doomed]);
      assertScalewayError(await api.get(`/secrets/${doomed}/versions/1`), 404, 'not_found');
      assertScalewayError(await api.post(`/secrets/${doomed}/restore`, {}), 404, 'not_found');
      const scheduled = await api.ok('GET', '/secrets', { query: { scheduled_for_deletion: true } });
      assert.ok(!(scheduled.secrets as Json[]).some((item) => item.id === doomed));

      const erased = await eventually(async () => (await api.ok('GET', `/secrets/${holder}/versions/1`)).status === 'deleted', 6000);
      assert.ok(erased, 'the version was not erased within 6 s');
      const version = await api.ok('GET', `/secrets/${holder}/versions/1`);
      assert.match(String(version.deleted_at), TIMESTAMP);
      assertScalewayError(await api.get(`/secrets/${holder}/versions/1/access`), 412, 'precondition_failed');
      assertScalewayError(await api.post(`/secrets/${holder}/versions/1/restore`, {}), 412, 'precondition_failed');
      assert.equal(unb64((await api.ok('GET', `/secrets/${holder}/versions/2/access`)).data), 'two');
      assert.equal((await api.ok('GET', `/secrets/${holder}`)).version_count, 2);
      const versions = await api.ok('GET', `/secrets/${holder}/versions`);
      assert.deepEqual((versions.versions as Json[]).map((item) => [item.revision, item.status]), [[2, 'enabled'], [1, 'deleted']]);
    });

    it('expires versions whose time to live ran out, without anyone reading them', async () => {
      const disabling = String((await api.createSecret({ name: uniqueName('ttl'), ephemeral_policy: { time_to_live: '1s', action: 'disable' } })).id);
      const deleting = String((await api.createSecret({ name: uniqueName('ttl-del'), ephemeral_policy: { time_to_live: '1s', action: 'delete' } })).id);
      const created = await api.addVersion(disabling, 'short-lived');
      await api.addVersion(deleting, 'short-lived too');
      const properties = created.ephemeral_properties as Json;
      assert.equal(Date.parse(String(properties.expires_at)) - Date.parse(String(created.created_at)), 1000);
      assert.equal(unb64((await api.ok('GET', `/secrets/${disabling}/versions/1/access`)).data), 'short-lived');

      const statusOf = async (id: string) => (await api.ok('GET', `/secrets/${id}/versions/1`)).status;
      assert.ok(await eventually(async () => (await statusOf(disabling)) === 'disabled', 6000), `status ${String(await statusOf(disabling))}`);
      assert.ok(await eventually(async () => (await statusOf(deleting)) === 'deleted', 6000), `status ${String(await statusOf(deleting))}`);
      assertScalewayError(await api.get(`/secrets/${disabling}/versions/1/access`), 412, 'precondition_failed');
      assertScalewayError(await api.get(`/secrets/${deleting}/versions/1/access`), 412, 'precondition_failed');
      assert.match(String((await api.ok('GET', `/secrets/${deleting}/versions/1`)).deleted_at), TIMESTAMP);
    });

    it('access after expiry is refused, and the version ends up disabled', async () => {
      const id = String((await api.createSecret({ name: uniqueName('lazy'), ephemeral_policy: { time_to_live: '1s', action: 'disable' } })).id);
      await api.addVersion(id, 'soon gone');
      await new Promise((resolveWait) => setTimeout(resolveWait, 1100));
      assertScalewayError(await api.get(`/secrets/${id}/versions/latest/access`), 412, 'precondition_failed');
      assert.equal((await api.ok('GET', `/secrets/${id}/versions/1`)).status, 'disabled');
    });

    it('SIGTERM exits 0; a restart keeps the data and generates no new key', async () => {
      const code = await server.stop();
      assert.equal(code, 0, server.output());
      assert.match(server.output(), /SIGTERM received/);
      server = await startServer({ ...storage(), dataDir, identity, env: FAST_MAINTENANCE });
      api = wire(server);
      assert.doesNotMatch(server.output(), /SCW_SECRET_KEY=/);
      assert.doesNotMatch(server.output(), /Bootstrapped organization/);
      const secret = await api.ok('GET', `/secrets/${kept.id}`);
      assert.deepEqual([secret.name, secret.project_id, secret.version_count], [kept.name, identity.projectId, 1]);
      assert.equal(unb64((await api.ok('GET', `/secrets/${kept.id}/versions/latest/access`)).data), 'persisted across restarts');
      const listed = await api.ok('GET', '/secrets', { query: { name: kept.name } });
      assert.equal(listed.total_count, 1);
    });
  });
}
