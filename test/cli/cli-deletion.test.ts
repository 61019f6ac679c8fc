import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { api, cleanEnv, coffer, seedSecret, writeConfig } from './helpers.js';

type Json = Record<string, unknown>;
const DAY_MS = 86_400_000;

/** `coffer secret delete` with a chosen window, and the forced purge that needs --confirm. */
describe('coffer secret delete: windows and --force', () => {
  let server: TestServer;
  let env: Record<string, string>;
  const run = (args: string[]) => coffer(args, env);
  const lifecycle = (id: string) => api(server, 'GET', `/coffer/v1/regions/fr-par/secrets/${id}/lifecycle`);

  before(async () => {
    server = await startServer();
    const folder = mkdtempSync(join(tmpdir(), 'coffer-cli-key-'));
    writeFileSync(join(folder, 'key'), `${server.secretKey}\n`, { mode: 0o600 });
    const config = writeConfig({ profiles: { local: { api_url: server.url, secret_key: `file:${join(folder, 'key')}`, project_id: server.projectId, region: 'fr-par' } } });
    env = cleanEnv({ COFFER_CONFIG: config, COFFER_PROFILE: 'local' });
  });
  after(async () => server.stop());

  it('schedules with the window asked for, refuses one out of range, and restores', async () => {
    const id = await seedSecret(server, { name: 'cli-windowed', path: '/cli' }, 'v');
    const refused = run(['secret', 'delete', '/cli/cli-windowed', '--window-days', '3']);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /window_days/);
    assert.equal((await lifecycle(id)).status, 'enabled');

    const scheduled = run(['secret', 'delete', '/cli/cli-windowed', '--window-days', '21', '--output', 'json']);
    assert.equal(scheduled.status, 0, scheduled.stderr);
    const view = JSON.parse(scheduled.stdout) as Json;
    assert.equal(view.status, 'scheduled_for_deletion');
    assert.equal((Date.parse(String(view.purge_at)) - Date.parse(String(view.deletion_scheduled_at))) / DAY_MS, 21);
    assert.equal(run(['secret', 'restore', id]).status, 0);
    assert.equal((await lifecycle(id)).status, 'enabled');
  });

  it('purges at once only with --confirm repeating the id', async () => {
    const id = await seedSecret(server, { name: 'cli-forced' }, 'v');
    const unconfirmed = run(['secret', 'delete', id, '--force']);
    assert.notEqual(unconfirmed.status, 0);
    assert.match(unconfirmed.stderr, /confirm/);
    assert.equal((await lifecycle(id)).status, 'enabled');
    const purged = run(['secret', 'delete', id, '--force', '--confirm', id, '--output', 'json']);
    assert.equal(purged.status, 0, purged.stderr);
    assert.equal((JSON.parse(purged.stdout) as Json).purged, true);
    const gone = run(['secret', 'get', id]);
    assert.notEqual(gone.status, 0);
    assert.match(gone.stderr, /not found/);
  });
});
