import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT_DIR, startServer, type TestServer } from '../helpers/server.js';

/** Debian's python3-hvac, unchanged, driven by a script; `npm test` installs it first. */
describe('hvac (Debian python3-hvac) against Coffer', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => server.stop());

  it('runs the KV v2 workflow: configure, CAS, versions, patch, list, metadata, delete, undelete, destroy', () => {
    const run = spawnSync('/usr/bin/python3', [join(ROOT_DIR, 'test', 'clients', 'hvac_kv2_flow.py')], {
      env: { ...process.env, VAULT_ADDR: server.url, VAULT_TOKEN: server.secretKey },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(run.status, 0, `hvac script failed (is python3-hvac installed for /usr/bin/python3?):\n${run.stderr}`);
    const seen = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    assert.equal(seen.authenticated, true);
    assert.deepEqual(seen.config, { cas_required: false, delete_version_after: '30m0s', max_versions: 10 });
    assert.equal(seen.v1, 1);
    assert.match(String(seen.cas_conflict), /check-and-set parameter did not match the current version/);
    assert.equal(seen.v2, 2);
    assert.deepEqual(seen.read_v1, { password: 'p1', user: 'app' });
    assert.equal(seen.patched_version, 3);
    assert.deepEqual(seen.read_latest, { password: 'p3', user: 'app' });
    assert.equal(seen.missing, 'InvalidPath');
    assert.ok(Array.isArray(seen.listed) && seen.listed.length === 1);
    assert.deepEqual(seen.metadata, { current_version: 3, max_versions: 5, oldest_version: 0, delete_version_after: '0s' });
    assert.deepEqual(seen.deleted, ['1', '3']);
    assert.deepEqual(seen.after, { '1': [false, false], '2': [false, true], '3': [false, false] });
    assert.deepEqual(seen.read_undeleted, { password: 'p1', user: 'app' });
    assert.equal(seen.gone, true);
    assert.deepEqual(seen.mount_options, { version: '2' });
    assert.ok(!run.stdout.includes(server.secretKey) && !run.stderr.includes(server.secretKey), 'the token never shows');
  });
});
