import pino from 'pino';
import type { Config } from './config/config.js';
import { createAuditService, createAuditWriter, loadAuditSigner } from './core/audit/index.js';
import { createIamAdminService, createIamService, withIamInvalidation } from './core/iam/index.js';
import { createKeyService } from './core/keys/index.js';
import { createKeyManager } from './core/kms/index.js';
import { createKvService } from './core/kv/index.js';
import { createBackupService, createExportService } from './core/backup/index.js';
import {
  createAccessService,
  createBrowseService,
  createCertificateService,
  createLifecycleService,
  createDeletionService,
  createExpiryNoticeJob,
  createSecretMaintenanceJobs,
  createSecretService,
  createVersionService,
} from './core/secrets/index.js';
import { createOffsetClock, type ScheduledJob } from './core/scheduler/index.js';
import { createSessionService } from './core/sessions/index.js';
import { createSecretRotation } from './rotation-wiring.js';
import { createNotifications, createSecretChangeEvents, WEBHOOK_SECRET_KEY_LABEL } from './core/events/index.js';
import { buildApp } from './http/app.js';
import { openCacheInvalidation } from './storage/invalidation.js';
import { systemClock } from './shared/clock.js';
import { openStorage, type StorageOptions } from './storage/index.js';
import { openRootProtectors, unlockStore } from './root-key-setup.js';
import { createProcessScheduler } from './scheduling.js';
import { prepareOperations } from './operations.js';

export interface RunningServer {
  url: string;
  /** Re-reads the TLS certificate and key (SIGHUP); false when none is configured or the new files are bad. */
  reloadTls(): boolean;
  /** Every route registered, for the OpenAPI coverage test. */
  routes(): readonly { method: string; url: string }[];
  close(): Promise<void>;
}

/** Where start-up messages meant for the operator (not the log) go. */
export type Announce = (line: string) => void;

const REDACTED_PATHS = [
  'req.headers["x-auth-token"]',
  'req.headers["x-vault-token"]',
  'req.headers.authorization',
  'req.headers.cookie',
];

/** The composition root: configuration → store → services → HTTP. */
export const startServer = async (config: Config, announce: Announce = console.log): Promise<RunningServer> => {
  const logger = pino({ level: config.logLevel, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
  const operations = prepareOperations(config, logger);
  const rootProtectors = await openRootProtectors(config);
  const storageOptions: StorageOptions =
    config.storage === 'postgres'
      ? { kind: 'postgres', url: config.postgresUrl ?? '', poolSize: config.postgresPoolSize }
      : { kind: 'sqlite', dataDir: config.dataDir };
  // The test clock lets tests move time forward over HTTP; never on in production.
  const testClock = config.testClock === 'on' ? createOffsetClock(systemClock) : null;
  const clock = testClock ?? systemClock;
  // Each write of the secret store appends its lifecycle events (change feed, webhooks) in its own transaction.
  const storage = await openStorage(storageOptions, operations.metrics?.observeStore, createSecretChangeEvents({ clock }));
  const rootKey = await unlockStore(rootProtectors, storage, announce);
  if (testClock) {
    announce('WARNING: COFFER_TEST_CLOCK=on: this server runs on a test clock that any admin key can move forward. Never use it in production.');
    logger.warn({ testClock: true }, 'running on the test clock');
  }
  const regions = config.regions;
  // Caches of keys and grants hear every process's writes (LISTEN/NOTIFY on PostgreSQL).
  const invalidation = openCacheInvalidation(config.storage === 'postgres' ? (config.postgresUrl ?? '') : null);
  const iamStore = withIamInvalidation(storage.iam, invalidation);
  operations.metrics?.registerGauge(
    'coffer_cache_invalidation_listening',
    "1 while this process hears the other processes' cache invalidations (always with SQLite); 0 while its caches fall back to 1 s lifetimes.",
    () => (invalidation.listening() ? 1 : 0),
  );
  const iam = createIamService({
    store: iamStore,
    invalidation,
    clock,
    throttle: { maxFailures: config.authFailuresPerMinute, windowSeconds: 60 },
    keyRequestsPerSecond: config.keyRequestsPerSecond,
    ...(operations.metrics ? { cacheMeter: operations.metrics.cacheMeter('api_keys') } : {}),
  });
  const iamAdmin = createIamAdminService({ store: iamStore, clock });
  const kms = createKeyManager({
    invalidation,
    cacheMeters: { keyState: operations.cacheMeter('kms_key_state'), keyMaterial: operations.cacheMeter('kms_key_material') },
    store: storage.kms,
    iam,
    clock,
    logger,
    regions,
    rootKey,
    retentionSeconds: config.deletionRetentionSeconds,
  });
  const keys = createKeyService({ store: storage.keys, rootKey, clock, customerKeys: kms.envelope, cacheMeter: operations.cacheMeter('kek') });
  try {
    await keys.verifyRootKey();
  } catch (error) {
    await invalidation.close();
    await storage.close();
    throw error;
  }
  const notifications = createNotifications({
    eventStore: storage.events,
    iam,
    sealingKey: rootKey.deriveKey(WEBHOOK_SECRET_KEY_LABEL),
    clock,
    logger,
    regions,
  });
  const secrets = createSecretService({ store: storage.secrets, iam, clock, regions, deletionWindowSeconds: config.deletionRetentionSeconds, customerKeys: kms });
  const deletion = createDeletionService({ store: storage.secrets, iam, regions, secrets });
  const versions = createVersionService({ store: storage.secrets, keys, iam, clock, regions });
  const access = createAccessService({ store: storage.secrets, keys, iam, clock, regions });
  const browse = createBrowseService({ secrets });
  const certificates = createCertificateService({ store: storage.secrets, keys, iam, clock, regions });
  const lifecycle = createLifecycleService({ store: storage.secrets, iam, clock, regions });
  const kvService = createKvService({ store: storage.secrets, kvStore: storage.kv, secrets, access, keys, iam, clock, regions });
  // Activating a region (an OVHcloud OKMS domain) creates the domain's default key there and then.
  const kv: typeof kvService = {
    ...kvService,
    activateDomain: async (actor, projectId, region) => {
      const domain = await kvService.activateDomain(actor, projectId, region);
      await keys.ensureDefaultKey({ projectId: domain.projectId, region: domain.region });
      return domain;
    },
  };
  const rotation = createSecretRotation({ storage, keys, iam, clock, regions, rootKey, logger, publisher: notifications.publisher });
  // What the one scheduler runs at each pass, in this order; features add their jobs here.
  const scheduledJobs: ScheduledJob[] = [
    notifications.deliveryJob,
    ...createSecretMaintenanceJobs({ store: storage.secrets, access, retentionSeconds: config.deletionRetentionSeconds }),
    createExpiryNoticeJob({ store: storage.secrets, noticeDays: config.expiryNoticeDays }),
    { name: 'kms.maintenance', runDue: async () => Object.values(await kms.maintenance.runOnce()).reduce((sum, count) => sum + count, 0) },
    rotation.job,
  ];
  const scheduler = createProcessScheduler({
    storage: storageOptions,
    jobs: scheduledJobs,
    clock,
    logger,
    intervalSeconds: config.maintenanceIntervalSeconds ?? config.schedulerIntervalSeconds,
  });
  operations.watch({ scheduler, events: storage.events });

  const auditSigner = await loadAuditSigner({ store: storage.audit, rootKey, clock });
  const auditWriter = createAuditWriter({
    store: storage.audit,
    signer: auditSigner,
    clock,
    logger,
    checkpointEvery: config.auditCheckpointEvents,
    checkpointSeconds: config.auditCheckpointSeconds,
    ...(operations.metrics ? { observeBatch: operations.metrics.observeAuditBatch } : {}),
  });
  operations.metrics?.registerGauge('coffer_audit_queued_events', 'Audit events waiting for their group commit.', () => auditWriter.queued());
  operations.metrics?.registerGauge('coffer_audit_healthy', '1 while the audit trail can write, 0 while requests are refused.', () => (auditWriter.healthy() ? 1 : 0));
  const audit = createAuditService({
    store: storage.audit,
    writer: auditWriter,
    signer: auditSigner,
    tokenHmacKey: rootKey.deriveKey('coffer/audit-token-hmac/v1'),
    clock,
    logger,
    retentionDays: config.auditRetentionDays,
  });

  const bootstrap = await iam.bootstrap({
    organizationId: config.organizationId,
    projectId: config.defaultProjectId,
    accessKey: config.rootAccessKey,
    secretKey: config.rootSecretKey,
  });
  if (bootstrap.created) {
    announce(`Bootstrapped organization ${bootstrap.organizationId ?? ''} with default project ${bootstrap.projectId ?? ''}.`);
    if (bootstrap.generatedCredentials) {
      announce('An admin API key was generated. It is shown only this once; store it now:');
      announce(`  SCW_ACCESS_KEY=${bootstrap.generatedCredentials.accessKey}`);
      announce(`  SCW_SECRET_KEY=${bootstrap.generatedCredentials.secretKey}`);
    }
  }

  const sessions = createSessionService({
    store: storage.sessions,
    iamStore,
    iam,
    iamAdmin,
    clock,
    settings: { idleSeconds: config.consoleIdleMinutes * 60, maxSeconds: config.consoleSessionHours * 3600 },
    signInFailuresPerMinute: config.authFailuresPerMinute,
  });
  const app = buildApp({
    services: {
      iam,
      iamAdmin,
      secrets,
      versions,
      access,
      browse,
      certificates,
      lifecycle,
      deletion,
      backup: createBackupService({ source: storage.snapshots, iam, clock }),
      exports: createExportService({ store: storage.secrets, secrets, keys, iam, clock }),
      notifications: { feed: notifications.feed, webhooks: notifications.webhooks },
      rotation: rotation.service,
      kv,
      keys,
      kms,
      audit,
      recordRequests: config.audit === 'on',
      defaultRegion: regions[0] ?? 'fr-par',
      checkHealth: () => storage.ping(),
      scheduler,
      testClock,
    },
    logger,
    vault: { mounts: config.vaultMounts, defaultRegion: regions[0] ?? 'fr-par' },
    console: { sessions, cookies: { secure: config.consoleSecureCookies === 'on' }, idleSeconds: config.consoleIdleMinutes * 60, regions },
    operations: operations.appOptions({ ping: () => storage.ping(), auditHealthy: () => audit.healthy(), schemaVersions: () => storage.schemaVersions() }),
    https: operations.https,
    trustProxy: config.trustProxy,
  });
  await app.listen({ host: config.listen.host, port: config.listen.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.listen.port;
  const host = config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host;
  const url = `${operations.scheme}://${host}:${port}`;
  scheduler.start();
  // Retention runs hourly; a failed prune is retried at the next hour.
  const pruning = setInterval(() => void audit.prune().catch((error: unknown) => logger.error({ err: error }, 'audit pruning failed')), 3_600_000);
  pruning.unref();
  void audit.prune().catch((error: unknown) => logger.error({ err: error }, 'audit pruning failed'));
  announce(`Coffer listening on ${url} (storage: ${config.storage}, regions: ${regions.join(', ')})`);

  let closing: Promise<void> | undefined;
  return {
    url,
    reloadTls: () => operations.reloadTls(app),
    routes: () => operations.routes(app),
    close: () => {
      // Stop taking requests, let in-flight ones finish, then close the store.
      closing ??= (async () => {
        await app.close();
        clearInterval(pruning);
        await scheduler.stop();
        await kms.maintenance.stop();
        // Every acknowledged request's event is written, then a closing checkpoint is signed.
        await auditWriter.close();
        await storage.close();
        rootProtectors.close();
        await invalidation.close();
      })();
      return closing;
    },
  };
};
