import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import Database from 'better-sqlite3';
import { createArchiveFile } from '../../src/shared/backup/archive-file.js';
import { openArchive } from '../../src/shared/backup/archive.js';
import { createBackupWriter, linesOf, readBackupStream, type BackupHeader, type BackupRows } from '../../src/shared/backup/backup-stream.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { cli, ok, passphraseFile, seed, workDir } from './backup-helpers.js';

const passphrase = 'rollback test passphrase';

/**
 * An archive that is intact (every chunk and the trailer check) but whose rows cannot
 * stand: the versions of a secret that is not in it. The restore fails on a foreign key
 * half-way through the rows and rolls everything back: the target's tables stay empty.
 */
describe('restore of rows that break a constraint rolls back to an empty store; a newer schema is refused', () => {
  const dir = workDir();
  let server: TestServer;
  let broken: string;
  let newer: string;

  before(async () => {
    server = await startServer();
    await seed(server, 'rb', 3);
    const good = join(dir, 'good.bak');
    ok(cli(server, ['backup', '--out', good, '--passphrase-file', passphraseFile(dir, passphrase)]), 'backup');
    // Re-seal the same rows without one secret: its versions and tags now point nowhere.
    let header: BackupHeader | undefined;
    const batches: BackupRows[] = [];
    for await (const batch of readBackupStream(linesOf(openArchive(good, { kind: 'passphrase', passphrase })), (found) => (header = found))) {
      batches.push(batch);
    }
    assert.ok(header);
    const secrets = batches.find((batch) => batch.table === 'secrets');
    assert.ok(secrets && secrets.rows.length > 1);
    const kept = { ...secrets, rows: secrets.rows.slice(1) };
    const writer = createBackupWriter();
    broken = join(dir, 'broken.bak');
    const archive = await createArchiveFile(broken, { kind: 'passphrase', passphrase });
    await archive.write(writer.header({ ...header, tables: header.tables.map((table) => (table.name === 'secrets' ? { ...table, rows: table.rows - 1 } : table)) }));
    for (const batch of batches) {
      await archive.write(writer.rows(batch.table, (batch === secrets ? kept : batch).rows));
    }
    await archive.write(writer.trailer());
    await archive.finish();
    // The same rows, from a schema this Coffer does not know yet.
    const future = createBackupWriter();
    newer = join(dir, 'newer.bak');
    const newerArchive = await createArchiveFile(newer, { kind: 'passphrase', passphrase });
    await newerArchive.write(future.header({ ...header, schema_version: header.schema_version + 100 }));
    for (const batch of batches) {
      await newerArchive.write(future.rows(batch.table, batch.rows));
    }
    await newerArchive.write(future.trailer());
    await newerArchive.finish();
    ok(cli(null, ['restore', broken, '--verify-only', '--passphrase-file', passphraseFile(dir, passphrase)]), 'the broken archive is well-formed');
  });
  after(async () => server.stop());

  it('on SQLite', () => {
    const dataDir = join(dir, 'sqlite-target');
    const result = cli(null, ['restore', broken, '--storage', 'sqlite', '--data-dir', dataDir, '--passphrase-file', passphraseFile(dir, passphrase)]);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /restore refused, nothing written: the rows of \w+ do not fit the target \(.*FOREIGN KEY.*\): rolled back/);
    for (const file of ['coffer.db', 'audit.db']) {
      const db = new Database(join(dataDir, file), { readonly: true });
      try {
        const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'").all() as { name: string }[]).map((row) => row.name);
        assert.ok(tables.length > 0);
        for (const table of tables) {
          assert.equal((db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n, 0, `${file} ${table} is empty`);
        }
      } finally {
        db.close();
      }
    }
  });

  it('refuses an archive from a newer schema before writing', () => {
    const result = cli(null, ['restore', newer, '--storage', 'sqlite', '--data-dir', join(dir, 'newer-target'), '--passphrase-file', passphraseFile(dir, passphrase)]);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /restore refused, nothing written: the archive's schema \(version \d+\) is newer than this Coffer knows/);
  });

  it('on PostgreSQL', async () => {
    const database = await createTestDatabase();
    try {
      const result = cli(null, ['restore', broken, '--storage', 'postgres', '--postgres-url', database.url, '--passphrase-file', passphraseFile(dir, passphrase)]);
      assert.notEqual(result.status, 0);
      assert.match(result.stderr, /do not fit the target \(.*foreign key.*\): rolled back/);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const tables = (await client.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations'")).rows;
        assert.ok(tables.length > 0);
        for (const { name } of tables) {
          const count = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}"`);
          assert.equal(count.rows[0]?.n, 0, `${name} is empty`);
        }
      } finally {
        await client.end();
      }
    } finally {
      await database.drop();
    }
  });
});
