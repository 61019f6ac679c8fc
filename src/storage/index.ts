import type { IamStore } from '../core/iam/index.js';
import type { KeyStore } from '../core/keys/index.js';
import type { SecretStore } from '../core/secrets/index.js';
import { openPostgresDriver } from './postgres/postgres-driver.js';
import { SqlIamStore } from './sql/iam-repository.js';
import { SqlKeyStore } from './sql/key-repository.js';
import { migrate } from './sql/migrations.js';
import { SqlSecretStore } from './sql/secret-repository.js';
import type { SqlDriver } from './sql/sql-driver.js';
import { openSqliteDriver } from './sqlite/sqlite-driver.js';

export type StorageOptions = { kind: 'sqlite'; dataDir: string } | { kind: 'postgres'; url: string; poolSize?: number };

export interface Storage {
  dialect: SqlDriver['dialect'];
  secrets: SecretStore;
  keys: KeyStore;
  iam: IamStore;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Opens the configured engine, applies migrations, and returns the core's ports over it. */
export const openStorage = async (options: StorageOptions): Promise<Storage> => {
  const driver = options.kind === 'sqlite' ? openSqliteDriver(options.dataDir) : openPostgresDriver(options.url, options.poolSize ?? 10);
  try {
    await migrate(driver);
  } catch (error) {
    await driver.close();
    throw error;
  }
  return {
    dialect: driver.dialect,
    secrets: new SqlSecretStore(driver),
    keys: new SqlKeyStore(driver),
    iam: new SqlIamStore(driver),
    ping: async () => {
      await driver.get('SELECT 1 AS ok');
    },
    close: () => driver.close(),
  };
};
