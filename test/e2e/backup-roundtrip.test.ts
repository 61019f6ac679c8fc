import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { auditVerifies, cli, observe, ok, passphraseFile, seed, workDir, type Seeded } from './backup-helpers.js';

/**
 * SQLite → PostgreSQL → SQLite through `coffer backup` and `coffer restore`, with one
 * root key: listings, versions with their states and payloads are identical at every
 * step, the application's API key still works, and the audit trail still verifies.
 */
describe('backup and restore: a round trip SQLite → PostgreSQL → SQLite', () => {
  const rootKey = randomBytes(32).toString('base64');
  const env = { COFFER_ROOT_KEY: rootKey };
  const dir = workDir();
  const servers: TestServer[] = [];
  let database: TestDatabase;
  let source: TestServer;
  let seeded: Seeded;
  let expected: unknown;

  before(async () => {
    database = await createTestDatabase();
    source = await startServer({ storage: 'sqlite', env });
    servers.push(source);
    seeded = await seed(source, 'rt', 4);
    expected = await observe(source);
    // What the comparisons below cover: a KV secret read through Vault, users, groups and a customer-managed key.
    const seen = expected as { vault: { data?: { value?: string } }; iamAndKeys: Record<string, { users?: unknown[]; groups?: unknown[]; keys?: unknown[] }> };
    assert.match(String(seen.vault.data?.value), /^plain-rt-kv-/);
    assert.ok((seen.iamAndKeys['/iam/v1alpha1/users']?.users ?? []).length > 0);
    assert.ok((seen.iamAndKeys['/iam/v1alpha1/groups']?.groups ?? []).length > 0);
    assert.ok(Object.values(seen.iamAndKeys).some((listing) => (listing.keys ?? []).length > 0), 'a customer-managed key is listed');
  });
  after(async () => {
    for (const server of servers) {
      await server.stop();
    }
    await database.drop();
  });

  it('backs up the running SQLite server into a passphrase archive holding no plaintext', () => {
    const archive = join(dir, 'sqlite.bak');
    const result = ok(cli(source, ['backup', '--out', archive, '--passphrase-file', passphraseFile(dir, 'correct horse battery staple')]), 'backup');
    assert.match(result.stdout, /backup written to .*sqlite\.bak: \d+ rows/);
    assert.equal(statSync(archive).mode & 0o777, 0o600);
    const bytes = readFileSync(archive);
    for (const plaintext of seeded.plaintexts) {
      assert.equal(bytes.includes(Buffer.from(plaintext)), false, 'a payload in clear in the archive');
    }
    assert.equal(bytes.includes(Buffer.from(source.accessKey)), false, 'metadata in clear in the archive');
  });

  it('restores it into PostgreSQL, where everything reads the same and the audit chain verifies', async () => {
    const restored = cli(null, ['restore', join(dir, 'sqlite.bak'), '--storage', 'postgres', '--postgres-url', database.url, '--passphrase-file', passphraseFile(dir, 'correct horse battery staple')]);
    ok(restored, 'restore into PostgreSQL');
    assert.match(restored.stdout, /restored \d+ rows .* from sqlite/);
    const target = await startServer({ storage: 'postgres', postgresUrl: database.url, env, identity: source });
    servers.push(target);
    assert.deepEqual(await observe(target), expected);
    const asApp = await fetch(`${target.url}/secret-manager/v1beta1/regions/fr-par/secrets?project_id=${target.projectId}`, { headers: { 'x-auth-token': seeded.appSecretKey } });
    assert.equal(asApp.status, 200, 'the application key restored with its policy still lists');
    const denied = await fetch(`${target.url}/secret-manager/v1beta1/regions/fr-par/secrets`, {
      method: 'POST',
      headers: { 'x-auth-token': seeded.appSecretKey, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'nope', project_id: target.projectId }),
    });
    assert.equal(denied.status, 403, 'and its policy still refuses what it does not grant');
    const report = await auditVerifies(target);
    assert.ok(Number(report.events) > 0);
    assert.ok(Number(report.chains) >= 2, 'the source chain came along, and the new process started its own');
  });

  it('backs the PostgreSQL server up to a recipient key and restores it into a new SQLite directory', async () => {
    const target = servers[1];
    assert.ok(target);
    const keyFile = join(dir, 'recipient.key');
    const publicKey = ok(cli(null, ['import', 'keygen', '--out', keyFile]), 'keygen').stdout.trim();
    assert.match(publicKey, /^coffer-x25519-public:/);
    const archive = join(dir, 'postgres.bak');
    ok(cli(target, ['backup', '--out', archive, '--recipient', publicKey]), 'backup of PostgreSQL');
    const dataDir = join(dir, 'back-to-sqlite');
    ok(cli(null, ['restore', archive, '--storage', 'sqlite', '--data-dir', dataDir, '--identity', keyFile]), 'restore into SQLite');
    const final = await startServer({ storage: 'sqlite', dataDir, env, identity: source });
    servers.push(final);
    assert.deepEqual(await observe(final), expected);
    const asApp = await fetch(`${final.url}/secret-manager/v1beta1/regions/fr-par/secrets?project_id=${final.projectId}`, { headers: { 'x-auth-token': seeded.appSecretKey } });
    assert.equal(asApp.status, 200);
    await auditVerifies(final);
    const verified = cli(final, ['audit', 'verify']);
    assert.equal(verified.status, 0, verified.stderr);
  });

  it('refuses to restore into a store that is not empty, and leaves it as it was', async () => {
    const refused = cli(null, ['restore', join(dir, 'sqlite.bak'), '--storage', 'sqlite', '--data-dir', join(dir, 'back-to-sqlite'), '--passphrase-file', passphraseFile(dir, 'correct horse battery staple')]);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /not empty/);
    const final = servers[2];
    assert.ok(final);
    assert.deepEqual(await observe(final), expected);
  });

  it('refuses a backup to a key that is not admin', async () => {
    const response = await fetch(`${source.url}/coffer/v1/backup`, { headers: { 'x-auth-token': seeded.appSecretKey } });
    assert.equal(response.status, 403);
    const result = cli({ ...source, secretKey: seeded.appSecretKey }, ['backup', '--out', join(dir, 'refused.bak'), '--passphrase-file', passphraseFile(dir)]);
    assert.equal(result.status, 3, result.stderr);
    assert.throws(() => statSync(join(dir, 'refused.bak')));
  });
});
