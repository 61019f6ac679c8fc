import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { advanceClock, handledBy, runScheduler, TEST_CLOCK_ENV } from '../helpers/scheduler.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { b64, unb64 } from '../helpers/wire.js';

const SCW = '/secret-manager/v1beta1/regions/fr-par';
const COFFER = '/coffer/v1/regions/fr-par/secrets';
const DAY_MS = 86_400_000;

type Lifecycle = { status: string; deletion_scheduled_at: string | null; purge_at: string | null; purged?: boolean };

/** Pending deletion on the test clock: windows, the confirmed force, restore, and a purge that leaves nothing. */
describe('pending deletion', () => {
  let server: TestServer;
  // Our own folder: the server removes one it made when it stops, before the scan.
  const dataDir = mkdtempSync(join(tmpdir(), 'coffer-pending-deletion-'));

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'x-auth-token': server.secretKey, 'x-vault-token': server.secretKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, text, json: (text ? JSON.parse(text) : null) as Record<string, unknown> | null };
  };
  const createSecret = async (name: string, value: string, extra: Record<string, unknown> = {}): Promise<string> => {
    const created = await call('POST', `${SCW}/secrets`, { name, project_id: server.projectId, ...extra });
    assert.equal(created.status, 200, created.text);
    const id = String(created.json?.id);
    assert.equal((await call('POST', `${SCW}/secrets/${id}/versions`, { data: b64(value) })).status, 200);
    return id;
  };
  const lifecycle = async (id: string) => (await call('GET', `${COFFER}/${id}/lifecycle`)).json as Lifecycle;
  const windowDays = (view: Lifecycle) => (Date.parse(String(view.purge_at)) - Date.parse(String(view.deletion_scheduled_at))) / DAY_MS;
  const rows = (sql: string, id: string): number => {
    const db = new Database(join(dataDir, 'coffer.db'), { readonly: true });
    try {
      return (db.prepare(sql).get(id) as { n: number }).n;
    } finally {
      db.close();
    }
  };

  before(async () => {
    server = await startServer({ dataDir, env: TEST_CLOCK_ENV });
  });
  after(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives the wire APIs\' deletes the default window of 7 days', async () => {
    const viaScaleway = await createSecret('scw-deleted', 'v');
    assert.equal((await call('DELETE', `${SCW}/secrets/${viaScaleway}`)).status, 204);
    assert.equal(windowDays(await lifecycle(viaScaleway)), 7);

    assert.equal((await call('POST', '/v1/secret/data/vault-deleted', { data: { a: '1' } })).status, 200);
    const listed = (await call('GET', `${SCW}/secrets?name=vault-deleted`)).json as { secrets: { id: string }[] };
    const viaVault = listed.secrets[0]?.id ?? '';
    assert.equal((await call('DELETE', '/v1/secret/metadata/vault-deleted')).status, 204);
    const view = await lifecycle(viaVault);
    assert.equal(view.status, 'scheduled_for_deletion');
    assert.equal(windowDays(view), 7);
  });

  it('takes a window of 7 to 30 days per request, and refuses any other with 400 and nothing changed', async () => {
    const id = await createSecret('windowed', 'v');
    for (const body of [{ window_days: 6 }, { window_days: 31 }, { window_days: 7.5 }, { window_days: 'ten' }, { window_days: 10, confirm: id }, { days: 10 }]) {
      const refused = await call('POST', `${COFFER}/${id}/schedule-deletion`, body);
      assert.equal(refused.status, 400, `${JSON.stringify(body)}: ${refused.text}`);
      assert.equal(refused.json?.type, 'invalid_arguments');
      assert.equal((await lifecycle(id)).status, 'enabled');
    }
    const scheduled = await call('POST', `${COFFER}/${id}/schedule-deletion`, { window_days: 30 });
    assert.equal(scheduled.status, 200, scheduled.text);
    assert.equal(scheduled.json?.purged, false);
    assert.equal(windowDays(scheduled.json as Lifecycle), 30);
    // Scheduling twice is refused; the first window stands.
    assert.equal((await call('POST', `${COFFER}/${id}/schedule-deletion`, { window_days: 7 })).status, 412);
    assert.equal(windowDays(await lifecycle(id)), 30);

    const byDefault = await createSecret('windowed-default', 'v');
    assert.equal(windowDays((await call('POST', `${COFFER}/${byDefault}/schedule-deletion`)).json as Lifecycle), 7);
  });

  it('forces a purge only when confirm repeats the secret id', async () => {
    const id = await createSecret('forced', 'forced value');
    for (const body of [{ force: true }, { force: true, confirm: 'yes' }, { force: true, confirm: id, window_days: 7 }]) {
      const refused = await call('POST', `${COFFER}/${id}/schedule-deletion`, body);
      assert.equal(refused.status, 400, refused.text);
      assert.match(refused.text, /confirm|window_days/);
      assert.equal((await lifecycle(id)).status, 'enabled');
    }
    const guarded = await createSecret('forced-protected', 'v', { protected: true });
    assert.equal((await call('POST', `${COFFER}/${guarded}/schedule-deletion`, { force: true, confirm: guarded })).status, 412);

    const purged = await call('POST', `${COFFER}/${id}/schedule-deletion`, { force: true, confirm: id.toUpperCase() });
    assert.equal(purged.status, 200, purged.text);
    assert.deepEqual([purged.json?.status, purged.json?.purged], ['purged', true]);
    assert.equal((await call('GET', `${SCW}/secrets/${id}`)).status, 404);
    assert.equal(rows('SELECT COUNT(*) AS n FROM secret_versions WHERE secret_id = ?', id), 0);
    assert.equal(rows('SELECT COUNT(*) AS n FROM secrets WHERE id = ?', id), 0);
  });

  it('restores inside the window, with the data as it was', async () => {
    const id = await createSecret('restored', 'restored value');
    assert.equal((await call('POST', `${COFFER}/${id}/schedule-deletion`, { window_days: 15 })).status, 200);
    assert.equal((await call('GET', `${SCW}/secrets/${id}/versions/latest/access`)).status, 412);
    await advanceClock(server, 14 * 86_400);
    await runScheduler(server);
    const restored = await call('POST', `${COFFER}/${id}/restore`);
    assert.equal(restored.status, 200, restored.text);
    assert.deepEqual([restored.json?.status, restored.json?.purge_at], ['enabled', null]);
    const read = await call('GET', `${SCW}/secrets/${id}/versions/latest/access`);
    assert.equal(read.status, 200);
    assert.equal(unb64(read.json?.data), 'restored value');
  });

  it('refuses restore once the window ends, then purges the data and the wrapped data keys for good', async () => {
    const id = await createSecret('purged', 'first doomed value');
    assert.equal((await call('POST', `${SCW}/secrets/${id}/versions`, { data: b64('second doomed value') })).status, 200);
    const control = await createSecret('kept', 'kept value');
    const db = new Database(join(dataDir, 'coffer.db'), { readonly: true });
    const bytesOf = (secretId: string) =>
      (db.prepare('SELECT ciphertext, wrapped_dek FROM secret_versions WHERE secret_id = ?').all(secretId) as { ciphertext: Buffer; wrapped_dek: Buffer }[]).flatMap((row) => [
        row.ciphertext,
        row.wrapped_dek,
      ]);
    const doomed = bytesOf(id);
    const kept = bytesOf(control);
    db.close();
    assert.equal(doomed.length, 4);
    assert.ok(doomed.every((bytes) => Buffer.isBuffer(bytes) && bytes.length >= 32));
    assert.equal((await call('GET', `${SCW}/secrets/${id}/versions/2/access`)).status, 200, 'read once, so the audit trail and usage name it');

    assert.equal((await call('POST', `${COFFER}/${id}/schedule-deletion`, { window_days: 7 })).status, 200);
    await advanceClock(server, 7 * 86_400 - 60);
    await runScheduler(server);
    assert.equal((await lifecycle(id)).status, 'scheduled_for_deletion', 'not purged a minute before the window ends');

    await advanceClock(server, 120);
    // The window has ended: restore is refused even though the purge has not run yet.
    const late = await call('POST', `${COFFER}/${id}/restore`);
    assert.equal(late.status, 412, late.text);
    assert.equal(late.json?.precondition, 'deletion_window_ended');
    assert.equal((await call('POST', `${SCW}/secrets/${id}/restore`)).status, 412);

    const pass = await runScheduler(server);
    assert.ok(handledBy(pass, 'secrets.purge') >= 1, JSON.stringify(pass));
    assert.equal((await call('GET', `${COFFER}/${id}/lifecycle`)).status, 404);
    assert.equal((await call('GET', `${SCW}/secrets/${id}`)).status, 404);
    for (const table of ['secrets WHERE id', 'secret_versions WHERE secret_id', 'secret_tags WHERE secret_id', 'secret_expiry_notices WHERE secret_id']) {
      assert.equal(rows(`SELECT COUNT(*) AS n FROM ${table} = ?`, id), 0, table);
    }
    // The audit trail keeps naming the purged secret, and still verifies.
    const usage = await call('GET', `/coffer/v1/audit/secrets/${id}/usage`);
    assert.equal(usage.status, 200, usage.text);
    assert.equal(usage.json?.access_count, 1);
    assert.equal((await call('GET', '/coffer/v1/audit/verify')).json?.ok, true);

    // Stopping the server checkpoints SQLite's WAL into the file, so every byte is in one place.
    await server.stop();
    const files = readdirSync(dataDir)
      .filter((file) => file.startsWith('coffer.db'))
      .map((file) => readFileSync(join(dataDir, file)));
    for (const bytes of doomed) {
      assert.equal(files.some((file) => file.includes(bytes)), false, 'purged bytes are still in the SQLite files');
    }
    assert.ok(kept.every((bytes) => files.some((file) => file.includes(bytes))), 'the scan would have found bytes that are there');
    server = await startServer({ dataDir, env: TEST_CLOCK_ENV, identity: server });
    assert.equal((await call('GET', `${SCW}/secrets/${control}/versions/latest/access`)).status, 200);
  });
});
