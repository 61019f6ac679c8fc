import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AppError } from '../../shared/errors.js';
import { append, buildSecret, conformanceSecretEvents, withCode } from '../conformance/fixtures.js';
import { runStoreConformanceSuite } from '../conformance/store.suite.js';
import { openStorage } from '../index.js';
import { migrate } from '../sql/migrate.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import { openSqliteDriver, SQLITE_FILE_NAME } from './sqlite-driver.js';

const dirs: string[] = [];
const freshDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-sqlite-'));
  dirs.push(dir);
  return dir;
};
after(() => {
  for (const dir of dirs) {
    rmSync(dir, { recursive: true, force: true });
  }
});

runStoreConformanceSuite('sqlite', async () => {
  const storage = await openStorage({ kind: 'sqlite', dataDir: freshDir() }, undefined, conformanceSecretEvents);
  return { storage, cleanup: () => storage.close() };
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sqlite driver', () => {
  const openTable = async () => {
    const driver = openSqliteDriver(freshDir());
    await driver.run('CREATE TABLE t (x INTEGER)');
    return driver;
  };

  it('makes calls issued during a transaction wait for it, even when another transaction follows', async () => {
    const driver = await openTable();
    const first = driver.transaction(async () => sleep(10));
    await sleep(0);
    // Issued while `first` is open, before `second` is queued: they must run between
    // the two transactions, never inside `second`.
    const read = driver.get<{ n: number }>('SELECT COUNT(*) AS n FROM t');
    const write = driver.run('INSERT INTO t VALUES (7)');
    const second = driver.transaction(async (tx) => {
      await tx.run('INSERT INTO t VALUES (1)');
      await sleep(5);
      throw new AppError('failed_precondition', 'roll back');
    });
    await first;
    assert.deepEqual(await read, { n: 0 });
    assert.deepEqual(await write, { changes: 1 });
    await assert.rejects(second, withCode('failed_precondition'));
    assert.deepEqual(await driver.all('SELECT x FROM t'), [{ x: 7 }]);
    await driver.close();
  });

  it('runs one transaction at a time, in order', async () => {
    const driver = await openTable();
    const order: string[] = [];
    await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        driver.transaction(async (tx) => {
          order.push(`${name}:begin`);
          await tx.run('INSERT INTO t VALUES (1)');
          await sleep(2);
          order.push(`${name}:end`);
        }),
      ),
    );
    assert.deepEqual(order, ['a:begin', 'a:end', 'b:begin', 'b:end', 'c:begin', 'c:end']);
    await driver.close();
  });

  it('runs a waiting call before transactions queued after it', async () => {
    const driver = await openTable();
    const order: string[] = [];
    const tx = (name: string) =>
      driver.transaction(async () => {
        order.push(name);
        await sleep(2);
      });
    const first = tx('first');
    await sleep(0);
    const read = driver.get('SELECT 1 AS one').then(() => order.push('read'));
    await Promise.all([first, read, tx('second'), tx('third')]);
    assert.deepEqual(order, ['first', 'read', 'second', 'third']);
    await driver.close();
  });

  it('answers at once when no transaction is open', async () => {
    const driver = await openTable();
    let settled = false;
    void driver.get('SELECT 1 AS one').then(() => {
      settled = true;
    });
    await null;
    assert.equal(settled, true);
    await driver.close();
  });

  it('strips FOR UPDATE and translates errors without parameter values', async () => {
    const driver = await openTable();
    await driver.run('CREATE UNIQUE INDEX t_x ON t (x)');
    await driver.run('INSERT INTO t VALUES (?)', [424242]);
    assert.deepEqual(await driver.get('SELECT x FROM t WHERE x = ? FOR UPDATE', [424242]), { x: 424242 });
    await assert.rejects(driver.run('INSERT INTO t VALUES (?)', [424242]), withCode('already_exists'));
    await assert.rejects(driver.run('INSERT INTO nowhere VALUES (?)', ['s3cr3t-value']), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'internal');
      assert.doesNotMatch(`${error.message} ${String(error.cause)}`, /s3cr3t/);
      return true;
    });
    await driver.close();
    await assert.rejects(driver.get('SELECT 1'), withCode('unavailable'));
  });

  it('opens the file owner-only, in WAL with full sync, foreign keys and secure delete', async () => {
    const dir = freshDir();
    const driver = openSqliteDriver(dir);
    const pragma = async (name: string) => Object.values((await driver.get<Record<string, unknown>>(`PRAGMA ${name}`)) ?? {})[0];
    assert.equal(await pragma('journal_mode'), 'wal');
    assert.equal(await pragma('synchronous'), 2);
    assert.equal(await pragma('foreign_keys'), 1);
    assert.equal(await pragma('secure_delete'), 1);
    assert.equal(await pragma('busy_timeout'), 5000);
    assert.equal(statSync(join(dir, SQLITE_FILE_NAME)).mode & 0o777, 0o600);
    await driver.close();
  });
});

describe('sqlite storage files', () => {
  it('keeps data across a close and reopen, and migrates only once', async () => {
    const dataDir = freshDir();
    const secret = buildSecret();
    const first = await openStorage({ kind: 'sqlite', dataDir });
    await first.secrets.insertSecret(secret);
    const { version } = await append(first, secret);
    await first.close();
    const second = await openStorage({ kind: 'sqlite', dataDir });
    assert.deepEqual(await second.secrets.getSecret(secret.region, secret.id), { ...secret, versionCount: 1 });
    assert.deepEqual((await second.secrets.readVersionWithPayload(secret.region, secret.id, 1))?.version, version);
    await second.close();
    const driver = openSqliteDriver(dataDir);
    assert.deepEqual(await migrate(driver, { migrations: SQLITE_MIGRATIONS }), []);
    const applied = await driver.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    assert.deepEqual(applied.map((row) => row.version), SQLITE_MIGRATIONS.map((migration) => migration.version));
    await driver.close();
  });

  it('refuses a database migrated by a newer Coffer', async () => {
    const dataDir = freshDir();
    await (await openStorage({ kind: 'sqlite', dataDir })).close();
    const driver = openSqliteDriver(dataDir);
    await driver.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 'now')");
    await driver.close();
    await assert.rejects(openStorage({ kind: 'sqlite', dataDir }), withCode('failed_precondition'));
  });

  it('numbers migrations strictly upwards', () => {
    const versions = SQLITE_MIGRATIONS.map((migration) => migration.version);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b));
    assert.equal(new Set(versions).size, versions.length);
  });
});
