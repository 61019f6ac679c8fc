import type { IamStore } from '../core/iam/index.js';
import type { KeyStore } from '../core/keys/index.js';
import type { KvStore } from '../core/kv/index.js';
import type { SecretStore } from '../core/secrets/index.js';
import { POSTGRES_MIGRATION_LOCK, POSTGRES_MIGRATIONS } from './postgres/migrations.js';
import { openPostgresDriver } from './postgres/postgres-driver.js';
import { SqlIamStore } from './sql/iam-repository.js';
import { SqlKeyStore } from './sql/key-repository.js';
import { SqlKvStore } from './sql/kv-repository.js';
import { migrate, type MigrationPlan } from './sql/migrate.js';
import { SqlSecretStore } from './sql/secret-repository.js';
import type { SqlDialect, SqlDriver } from './sql/sql-driver.js';
import { SQLITE_MIGRATIONS } from './sqlite/migrations.js';
import { openSqliteDriver } from './sqlite/sqlite-driver.js';

export type StorageOptions =
  | { kind: 'sqlite'; dataDir: string }
  | { kind: 'postgres'; url: string; poolSize?: number };

export interface Storage {
  dialect: SqlDialect;
  secrets: SecretStore;
  keys: KeyStore;
  iam: IamStore;
  kv: KvStore;
  /** Resolves when the database answers; throws an `unavailable` AppError when it does not. */
  ping(): Promise<void>;
  /** Waits for running transactions, then releases the file or the pool. */
  close(): Promise<void>;
}

export const DEFAULT_POSTGRES_POOL_SIZE = 10;

const open = (options: StorageOptions): { driver: SqlDriver; plan: MigrationPlan } =>
  options.kind === 'sqlite'
    ? { driver: openSqliteDriver(options.dataDir), plan: { migrations: SQLITE_MIGRATIONS } }
    : {
        driver: openPostgresDriver({ url: options.url, poolSize: options.poolSize ?? DEFAULT_POSTGRES_POOL_SIZE }),
        plan: { migrations: POSTGRES_MIGRATIONS, lockSql: POSTGRES_MIGRATION_LOCK },
      };

/** Opens the configured engine, brings its schema up to date, and returns the core's ports over it. */
export const openStorage = async (options: StorageOptions): Promise<Storage> => {
  const { driver, plan } = open(options);
  try {
    await migrate(driver, plan);
  } catch (error) {
    await driver.close();
    throw error;
  }
  return {
    dialect: driver.dialect,
    secrets: new SqlSecretStore(driver),
    keys: new SqlKeyStore(driver),
    iam: new SqlIamStore(driver),
    kv: new SqlKvStore(driver),
    ping: async () => {
      await driver.get('SELECT 1 AS ok');
    },
    close: () => driver.close(),
  };
};

export type { SqlDialect } from './sql/sql-driver.js';
