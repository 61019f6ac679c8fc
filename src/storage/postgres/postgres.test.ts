import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/postgres.js';
import { append, buildSecret, conformanceSecretEvents, oneToN, withCode } from '../conformance/fixtures.js';
import { runStoreConformanceSuite } from '../conformance/store.suite.js';
import { openStorage, type Storage } from '../index.js';
import { migrate } from '../sql/migrate.js';
import { POSTGRES_MIGRATION_LOCK, POSTGRES_MIGRATIONS } from './migrations.js';
import { openPostgresDriver, toPostgresPlaceholders } from './postgres-driver.js';

// No skip when PostgreSQL is down: creating the database throws, and the tests fail.
runStoreConformanceSuite('postgres', async () => {
  const database = await createTestDatabase();
  const storage = await openStorage({ kind: 'postgres', url: database.url }, undefined, conformanceSecretEvents);
  return {
    storage,
    cleanup: async () => {
      await storage.close();
      await database.drop();
    },
  };
});

describe('postgres storage shared by two pools, as by two processes', () => {
  let database: TestDatabase;
  let one: Storage;
  let two: Storage;
  before(async () => {
    database = await createTestDatabase();
    // Both migrate at once on an empty database: the advisory lock serializes them.
    [one, two] = await Promise.all([
      openStorage({ kind: 'postgres', url: database.url, poolSize: 5 }),
      openStorage({ kind: 'postgres', url: database.url, poolSize: 5 }),
    ]);
  });
  after(async () => {
    await Promise.all([one.close(), two.close()]);
    await database.drop();
  });

  it('hands out revisions 1..80, each once, to 40 concurrent appends from each', async () => {
    const secret = buildSecret();
    await one.secrets.insertSecret(secret);
    const results = await Promise.all(Array.from({ length: 80 }, (_, index) => append(index % 2 === 0 ? one : two, secret)));
    assert.deepEqual(results.map((result) => result.version.revision).sort((a, b) => a - b), oneToN(80));
    assert.equal((await two.secrets.getSecret(secret.region, secret.id))?.versionCount, 80);
    assert.equal((await one.secrets.listVersions(secret.id, [], { page: 1, pageSize: 1 })).totalCount, 80);
  });

  it('migrated once, and migrating again changes nothing', async () => {
    const driver = openPostgresDriver({ url: database.url, poolSize: 1 });
    try {
      assert.deepEqual(await migrate(driver, { migrations: POSTGRES_MIGRATIONS, lockSql: POSTGRES_MIGRATION_LOCK }), []);
      const applied = await driver.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      assert.deepEqual(applied.map((row) => row.version), POSTGRES_MIGRATIONS.map((migration) => migration.version));
    } finally {
      await driver.close();
    }
  });

  it('lets only one of two processes rename a secret into a free name', async () => {
    const a = buildSecret();
    const b = buildSecret({ organizationId: a.organizationId, projectId: a.projectId });
    await one.secrets.insertSecret(a);
    await one.secrets.insertSecret(b);
    const rename = (storage: Storage, id: string) =>
      storage.secrets.updateSecret(a.region, id, (secret) => ({ secret: { ...secret, name: 'contested' } })).then(
        () => 'renamed',
        (error: unknown) => (withCode('already_exists')(error) ? 'clash' : 'other'),
      );
    assert.deepEqual((await Promise.all([rename(one, a.id), rename(two, b.id)])).sort(), ['clash', 'renamed']);
  });
});

describe('postgres driver', () => {
  it('numbers placeholders, leaving quoted text alone', () => {
    assert.equal(
      toPostgresPlaceholders(`SELECT '?', "a?" FROM t WHERE a = ? AND b = 'it''s ?' AND c IN (?, ?)`),
      `SELECT '?', "a?" FROM t WHERE a = $1 AND b = 'it''s ?' AND c IN ($2, $3)`,
    );
  });

  it('reports an unreachable server as unavailable', async () => {
    await assert.rejects(openStorage({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/none' }), withCode('unavailable'));
  });

  it('refuses NUL bytes in text as bad input', async () => {
    const database = await createTestDatabase();
    const storage = await openStorage({ kind: 'postgres', url: database.url });
    try {
      await assert.rejects(storage.secrets.insertSecret(buildSecret({ description: 'a\u0000b' })), withCode('invalid_argument'));
    } finally {
      await storage.close();
      await database.drop();
    }
  });
});
