import type { AuditStore } from '../core/audit/index.js';
import type { EventStore, SecretChangeEvents } from '../core/events/index.js';
import type { SnapshotSource } from '../core/backup/index.js';
import type { IamStore } from '../core/iam/index.js';
import type { KeyStore } from '../core/keys/index.js';
import type { KmsStore } from '../core/kms/index.js';
import type { KvStore } from '../core/kv/index.js';
import type { RootStore } from '../core/root/index.js';
import type { SecretStore } from '../core/secrets/index.js';
import type { RotationStore } from '../core/rotation/index.js';
import type { SessionStore } from '../core/sessions/index.js';
import { POSTGRES_MIGRATION_LOCK, POSTGRES_MIGRATIONS } from './postgres/migrations.js';
import { openPostgresDriver } from './postgres/postgres-driver.js';
import { postgresSnapshots } from './postgres/postgres-snapshot.js';
import { SqlAuditStore } from './sql/audit-repository.js';
import { SqlAuditWrites } from './sql/audit-writes.js';
import { recordSecretChangeEvents } from './sql/event-append.js';
import { SqlEventStore } from './sql/event-repository.js';
import { SqlIamStore } from './sql/iam-repository.js';
import { SqlKeyStore } from './sql/key-repository.js';
import { SqlKmsStore } from './sql/kms-repository.js';
import { SqlKvStore } from './sql/kv-repository.js';
import { migrate, type MigrationPlan } from './sql/migrate.js';
import { SqlRootStore } from './sql/root-repository.js';
import { SqlSecretStore } from './sql/secret-repository.js';
import { SqlRotationStore } from './sql/rotation-repository.js';
import { SqlSessionStore } from './sql/session-repository.js';
import type { SqlDialect, SqlDriver } from './sql/sql-driver.js';
import { timedDriver, type StoreObserver } from './sql/timed-driver.js';
import { startAuditWorker } from './sqlite/audit-worker-client.js';
import { SQLITE_AUDIT_MIGRATIONS, SQLITE_MIGRATIONS } from './sqlite/migrations.js';
import { openSqliteDriver } from './sqlite/sqlite-driver.js';
import { sqliteSnapshots } from './sqlite/sqlite-snapshot.js';

export type StorageOptions =
  | { kind: 'sqlite'; dataDir: string }
  | { kind: 'postgres'; url: string; poolSize?: number };

export interface Storage {
  dialect: SqlDialect;
  secrets: SecretStore;
  keys: KeyStore;
  /** Customer-managed keys (the Key Manager API). */
  kms: KmsStore;
  iam: IamStore;
  kv: KvStore;
  audit: AuditStore;
  /** Console sessions. */
  sessions: SessionStore;
  /** What the root key wraps directly, for moving it between a file and an HSM. */
  root: RootStore;
  /** The lifecycle event log and webhook subscriptions. */
  events: EventStore;
  /** Secrets' rotation policies and the state of their rotations. */
  rotation: RotationStore;
  /** Consistent read-only views of the whole store, for backups (each on its own connection). */
  snapshots: SnapshotSource;
  /** Resolves when the database answers; throws an `unavailable` AppError when it does not. */
  ping(): Promise<void>;
  /** The newest migration applied to the database, and the newest this build knows: readiness wants them equal. */
  schemaVersions(): Promise<{ applied: number; known: number }>;
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

export const SQLITE_AUDIT_FILE_NAME = 'audit.db';

/**
 * The audit trail's store: on PostgreSQL, the same database; on SQLite, its own file,
 * read here and written by a worker thread.
 */
const openAuditStore = async (options: StorageOptions, driver: SqlDriver): Promise<{ store: AuditStore; close(): Promise<void> }> => {
  if (options.kind === 'postgres') {
    // SqlAuditWrites applies queued appends in order, so several may wait.
    return { store: new SqlAuditStore(driver, new SqlAuditWrites(driver), 4), close: async () => {} };
  }
  const reader = openSqliteDriver(options.dataDir, SQLITE_AUDIT_FILE_NAME);
  try {
    await migrate(reader, { migrations: SQLITE_AUDIT_MIGRATIONS });
  } catch (error) {
    await reader.close();
    throw error;
  }
  const writer = startAuditWorker(options.dataDir, SQLITE_AUDIT_FILE_NAME);
  return {
    // The worker applies appends in the order it receives them: several may be queued.
    store: new SqlAuditStore(reader, writer, 4),
    close: async () => {
      await writer.close();
      await reader.close();
    },
  };
};

/**
 * Opens the configured engine, brings its schema up to date, and returns the core's ports
 * over it. With `secretEvents`, each write of the secret store appends the lifecycle
 * events it makes in its own transaction; without, it makes none (tools, a restore).
 */
export const openStorage = async (options: StorageOptions, observe?: StoreObserver, secretEvents?: SecretChangeEvents): Promise<Storage> => {
  const { driver: plain, plan } = open(options);
  const driver = observe ? timedDriver(plain, observe) : plain;
  let audit: Awaited<ReturnType<typeof openAuditStore>>;
  try {
    await migrate(driver, plan);
    audit = await openAuditStore(options, driver);
  } catch (error) {
    await driver.close();
    throw error;
  }
  return {
    dialect: driver.dialect,
    secrets: new SqlSecretStore(driver, secretEvents ? recordSecretChangeEvents(driver.dialect, secretEvents) : undefined),
    keys: new SqlKeyStore(driver),
    kms: new SqlKmsStore(driver),
    iam: new SqlIamStore(driver),
    kv: new SqlKvStore(driver),
    audit: audit.store,
    sessions: new SqlSessionStore(driver),
    root: new SqlRootStore(driver),
    events: new SqlEventStore(driver),
    rotation: new SqlRotationStore(driver),
    snapshots: options.kind === 'sqlite' ? sqliteSnapshots(options.dataDir, SQLITE_AUDIT_FILE_NAME) : postgresSnapshots(options.url),
    ping: async () => {
      await driver.get('SELECT 1 AS ok');
    },
    schemaVersions: async () => {
      const row = await driver.get<{ applied: number | string | null }>('SELECT MAX(version) AS applied FROM schema_migrations');
      return { applied: Number(row?.applied ?? 0), known: Math.max(0, ...plan.migrations.map((migration) => migration.version)) };
    },
    close: async () => {
      await audit.close();
      await driver.close();
    },
  };
};

export type { SqlDialect } from './sql/sql-driver.js';
