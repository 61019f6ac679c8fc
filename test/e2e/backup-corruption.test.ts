import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createTestDatabase } from '../helpers/postgres.js';
import { scalewayHttp } from '../helpers/scaleway-http.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { cli, ok, passphraseFile, seed, workDir } from './backup-helpers.js';

/**
 * Damaged archives and wrong keys: each is refused with a message that says what is
 * wrong, and the target store is never written (not even created).
 */
describe('backup archives: corruption, truncation and wrong keys are refused and nothing is written', () => {
  const dir = workDir();
  const passphrase = 'a long and correct passphrase';
  let server: TestServer;
  let good: Buffer;
  let sealedToKey: string;
  let otherIdentity: string;

  before(async () => {
    server = await startServer({ storage: 'sqlite' });
    await seed(server, 'bad', 3);
    // Large payloads, so that the archive spans several chunks.
    const scw = scalewayHttp(server);
    const big = await scw.createSecret({ name: 'big', project_id: server.projectId });
    await scw.addVersion(big, randomBytes(30_000).toString('hex'));
    await scw.addVersion(big, randomBytes(30_000).toString('hex'));
    const archive = join(dir, 'good.bak');
    ok(cli(server, ['backup', '--out', archive, '--passphrase-file', passphraseFile(dir, passphrase)]), 'backup');
    good = readFileSync(archive);
    const keyFile = join(dir, 'right.key');
    const publicKey = ok(cli(null, ['import', 'keygen', '--out', keyFile]), 'keygen').stdout.trim();
    sealedToKey = join(dir, 'sealed-to-key.bak');
    ok(cli(server, ['backup', '--out', sealedToKey, '--recipient', publicKey]), 'backup to a key');
    otherIdentity = join(dir, 'other.key');
    ok(cli(null, ['import', 'keygen', '--out', otherIdentity]), 'keygen');
  });
  after(async () => server.stop());

  const variant = (name: string, bytes: Buffer): string => {
    const file = join(dir, `${name}.bak`);
    writeFileSync(file, bytes);
    return file;
  };

  /** Restores into a fresh data directory and expects a refusal matching `reason`, with nothing created. */
  const refusedIntoSqlite = (file: string, keyArgs: string[], reason: RegExp) => {
    const dataDir = join(dir, `target-${randomBytes(4).toString('hex')}`);
    const result = cli(null, ['restore', file, '--storage', 'sqlite', '--data-dir', dataDir, ...keyArgs]);
    assert.notEqual(result.status, 0, `restore of ${file} was accepted`);
    assert.match(result.stderr, /restore refused, nothing written/);
    assert.match(result.stderr, reason);
    assert.equal(existsSync(join(dataDir, 'coffer.db')), false, 'the target store was created');
  };

  it('accepts the intact archive with --verify-only and writes nothing', () => {
    const result = ok(cli(null, ['restore', variant('intact', good), '--verify-only', '--passphrase-file', passphraseFile(dir, passphrase)]), 'verify');
    assert.match(result.stdout, /is intact: \d+ rows in \d+ tables/);
  });

  it('refuses a byte flipped in the middle', () => {
    const flipped = Buffer.from(good);
    const middle = Math.floor(flipped.length / 2);
    flipped[middle] = (flipped[middle] ?? 0) ^ 0x01;
    refusedIntoSqlite(variant('flipped', flipped), ['--passphrase-file', passphraseFile(dir, passphrase)], /corrupted \(chunk \d+ fails authentication\)/);
  });

  it('refuses a truncated file, whether cut inside a chunk or after a whole one', () => {
    refusedIntoSqlite(variant('half', good.subarray(0, Math.floor(good.length / 2))), ['--passphrase-file', passphraseFile(dir, passphrase)], /truncated/);
    refusedIntoSqlite(variant('short', good.subarray(0, good.length - 1)), ['--passphrase-file', passphraseFile(dir, passphrase)], /truncated/);
    // Cut exactly where the last chunk starts: every chunk left is whole and authentic.
    let offset = 12 + good.readUInt32BE(8) + 32;
    let lastStart = offset;
    while (offset < good.length) {
      lastStart = offset;
      offset += 4 + good.readUInt32BE(offset);
    }
    assert.equal(offset, good.length);
    assert.ok(lastStart > 12 + good.readUInt32BE(8) + 32, 'the archive has more than one chunk');
    refusedIntoSqlite(variant('no-last-chunk', good.subarray(0, lastStart)), ['--passphrase-file', passphraseFile(dir, passphrase)], /truncated/);
  });

  it('refuses bytes added after the last chunk', () => {
    refusedIntoSqlite(variant('longer', Buffer.concat([good, Buffer.from('extra')])), ['--passphrase-file', passphraseFile(dir, passphrase)], /after its last chunk/);
  });

  it('refuses a wrong passphrase, a wrong identity, and a key of the wrong kind', () => {
    refusedIntoSqlite(variant('intact2', good), ['--passphrase-file', passphraseFile(dir, 'not the right passphrase')], /wrong passphrase/);
    refusedIntoSqlite(sealedToKey, ['--identity', otherIdentity], /wrong key/);
    refusedIntoSqlite(sealedToKey, ['--passphrase-file', passphraseFile(dir, passphrase)], /sealed to the recipient/);
  });

  it('refuses a damaged archive on PostgreSQL too, leaving the database without a single table', async () => {
    const database = await createTestDatabase();
    try {
      const flipped = Buffer.from(good);
      const at = flipped.length - 40;
      flipped[at] = (flipped[at] ?? 0) ^ 0x80;
      const result = cli(null, ['restore', variant('flipped-pg', flipped), '--storage', 'postgres', '--postgres-url', database.url, '--passphrase-file', passphraseFile(dir, passphrase)]);
      assert.notEqual(result.status, 0);
      assert.match(result.stderr, /corrupted/);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const tables = await client.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'");
        assert.equal(tables.rows[0]?.n, 0);
      } finally {
        await client.end();
      }
    } finally {
      await database.drop();
    }
  });
});
