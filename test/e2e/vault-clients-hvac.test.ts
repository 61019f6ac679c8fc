import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ENGINES, ROOT_DIR, startServerOn, type TestServer } from '../helpers/server.js';
import { CAS_MISMATCH, CAS_REQUIRED } from '../helpers/vault-http.js';

const SCRIPT = join(ROOT_DIR, 'test', 'clients', 'hvac_kv2_flow.py');
/** Debian's interpreter: the python3 on PATH may be another one, without python3-hvac. */
const DEBIAN_PYTHON = '/usr/bin/python3';

const live = { deleted: false, destroyed: false };
const deleted = { deleted: true, destroyed: false };
const destroyed = { deleted: false, destroyed: true };

/**
 * Debian's python3-hvac, unchanged, driven by test/clients/hvac_kv2_flow.py, which prints
 * one JSON line of what hvac returned or raised. `npm test` installs hvac first
 * (scripts/ensure-test-tools.sh); without it this test fails, it never skips.
 */
for (const engine of ENGINES) {
  describe(`hvac (Debian python3-hvac) against Coffer on ${engine}`, () => {
    let server: TestServer;
    let stop: () => Promise<void>;
    before(async () => {
      ({ server, stop } = await startServerOn(engine));
    });
    after(async () => stop());

    it('has hvac importable by Debian\'s python3', () => {
      const probe = spawnSync(DEBIAN_PYTHON, ['-c', 'import hvac'], { encoding: 'utf8' });
      assert.equal(probe.status, 0, `hvac is missing for ${DEBIAN_PYTHON}; run bash scripts/ensure-test-tools.sh\n${probe.stderr}`);
    });

    it('runs the KV v2 workflow with hvac\'s own methods and sees Vault\'s answers', () => {
      const run = spawnSync(DEBIAN_PYTHON, [SCRIPT], {
        env: { ...process.env, VAULT_ADDR: server.url, VAULT_TOKEN: server.secretKey },
        encoding: 'utf8',
        timeout: 120_000,
      });
      assert.ok(!run.stdout.includes(server.secretKey) && !run.stderr.includes(server.secretKey), 'the token never shows');
      assert.equal(run.status, 0, `the hvac script failed:\n${run.stderr}`);
      const lines = run.stdout.trim().split('\n');
      assert.equal(lines.length, 1, `one JSON line expected:\n${run.stdout}`);
      const seen = JSON.parse(lines[0] ?? '') as Record<string, unknown>;

      assert.equal(seen.authenticated, true);
      assert.equal(seen.stranger_authenticated, false, 'a bad token is not authenticated (403 → Forbidden)');
      assert.deepEqual(seen.configured, { cas_required: false, delete_version_after: '30m0s', max_versions: 10 });
      assert.deepEqual(seen.cas_required_refusal, { exception: 'InvalidRequest', errors: [CAS_REQUIRED] });
      assert.deepEqual(seen.restored, { cas_required: false, delete_version_after: '0s', max_versions: 0 });

      const first = seen.v1 as Record<string, unknown>;
      assert.equal(first.version, 1);
      assert.equal(first.deletion_time, '');
      assert.equal(first.destroyed, false);
      assert.deepEqual(seen.cas_conflict, { exception: 'InvalidRequest', errors: [CAS_MISMATCH] });
      assert.equal(seen.v2, 2);
      assert.equal(seen.v3, 3);
      assert.deepEqual(seen.read_v1, { data: { password: 'p1', user: 'app' }, version: 1 });
      assert.deepEqual(seen.read_latest, { data: { password: 'p3', user: 'app' }, version: 3 });
      assert.deepEqual(seen.missing_path, { exception: 'InvalidPath', errors: [] });
      assert.deepEqual(seen.missing_version, { exception: 'InvalidPath', errors: [] });

      assert.equal(seen.patched_version, 4, 'hvac patches by read, merge and a cas write');
      assert.deepEqual(seen.read_patched, { extra: 'x', password: 'p4', user: 'app' });
      assert.equal((seen.patch_missing as { exception?: string } | null)?.exception, 'InvalidPath');

      assert.deepEqual(seen.listed, ['app', 'sub/']);
      assert.deepEqual(seen.list_empty, { exception: 'InvalidPath', errors: [] });
      assert.deepEqual(seen.metadata, {
        cas_required: false,
        current_version: 4,
        custom_metadata: null,
        delete_version_after: '0s',
        max_versions: 5,
        oldest_version: 0,
      });

      // A deleted version's 404 carries the envelope but no errors: hvac 0.11 raises InvalidPath without any.
      assert.deepEqual(seen.read_deleted_latest, { exception: 'InvalidPath', errors: null });
      assert.deepEqual(seen.after_delete, { '1': deleted, '2': live, '3': live, '4': deleted });
      assert.deepEqual(seen.after_undelete, { '1': live, '2': live, '3': live, '4': live });
      assert.deepEqual(seen.after_destroy, { '1': live, '2': destroyed, '3': live, '4': live });
      assert.deepEqual(seen.read_destroyed, { exception: 'InvalidPath', errors: null });
      assert.deepEqual(seen.read_undeleted_v1, { password: 'p1', user: 'app' });
      assert.deepEqual(seen.destroyed_after_undelete, destroyed);

      assert.deepEqual(seen.metadata_after_forget, { exception: 'InvalidPath', errors: [] });
      assert.deepEqual(seen.data_after_forget, { exception: 'InvalidPath', errors: [] });
      assert.deepEqual(seen.listed_after_forget, ['sub/']);
      assert.equal(seen.rewritten_version, 1);

      assert.deepEqual(seen.mount, { options: { version: '2' }, type: 'kv' });
      assert.deepEqual(seen.mount_at_top, { version: '2' });
    });
  });
}
