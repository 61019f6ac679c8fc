import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/postgres.js';
import { AppError } from '../../shared/errors.js';
import { EVERY_ENTRY, FALLBACK_LIFETIME_MS } from '../../core/cache/index.js';
import { startPostgresInvalidation, type PostgresInvalidation } from './invalidation-listener.js';

const until = async (condition: () => boolean, deadlineMs: number): Promise<boolean> => {
  const started = Date.now();
  while (!condition() && Date.now() - started < deadlineMs) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
};

describe('cache invalidation over PostgreSQL LISTEN/NOTIFY', () => {
  let database: TestDatabase;
  let writer: PostgresInvalidation;
  let reader: PostgresInvalidation;
  const heard: string[] = [];
  const heardByWriter: string[] = [];

  before(async () => {
    database = await createTestDatabase();
    writer = startPostgresInvalidation(database.url);
    reader = startPostgresInvalidation(database.url);
    writer.subscribe('kms-key', (key) => heardByWriter.push(key));
    reader.subscribe('kms-key', (key) => heard.push(key));
    reader.subscribe('iam', (key) => heard.push(`iam:${key}`));
    assert.ok(await until(() => writer.listening() && reader.listening(), 5_000), 'both listeners connect');
  });
  after(async () => {
    await Promise.all([writer.close(), reader.close()]);
    await database.drop();
  });

  it('applies a change to the writer at once and to the other process by NOTIFY', async () => {
    heard.length = 0;
    await writer.publish('kms-key', 'key-1');
    assert.ok(heardByWriter.includes('key-1'), 'the writer cleared its own entry before publish returned');
    assert.ok(await until(() => heard.includes('key-1'), 1_000), `the other process heard it: ${heard.join(', ')}`);
    assert.equal(reader.entryLifetimeMs(30_000), 30_000, 'while listening, entries keep their own lifetime');
  });

  it('flushes every cache when its listening connection is lost, shortens lifetimes, and flushes again on reconnect', async () => {
    heard.length = 0;
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const killed = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'coffer-listener'",
      );
      assert.equal(killed.rowCount, 2, 'both listening backends were terminated');
    } finally {
      await admin.end();
    }
    assert.ok(await until(() => heard.includes(EVERY_ENTRY) && heard.includes(`iam:${EVERY_ENTRY}`), 1_000), `every topic was flushed: ${heard.join(', ')}`);
    assert.ok(await until(() => reader.listening() && writer.listening(), 5_000), 'both listen again');
    assert.equal(reader.entryLifetimeMs(30_000), 30_000);
    heard.length = 0;
    await writer.publish('kms-key', 'key-2');
    assert.ok(await until(() => heard.includes('key-2'), 1_000), 'invalidations flow again after the reconnect');
  });

  it('caps entry lifetimes at the fallback while nobody listens', async () => {
    const lonely = startPostgresInvalidation('postgres://postgres@127.0.0.1:1/none');
    try {
      assert.equal(lonely.listening(), false);
      assert.equal(lonely.entryLifetimeMs(30_000), FALLBACK_LIFETIME_MS);
      await assert.rejects(lonely.publish('iam', EVERY_ENTRY), (error: unknown) => error instanceof AppError && error.code === 'unavailable');
    } finally {
      await lonely.close();
    }
  });
});
