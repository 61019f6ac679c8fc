import { resolve } from 'node:path';
import { z } from 'zod';

/** Every default in one place, so that what Coffer does without configuration is visible. */
export const defaults = {
  listen: '127.0.0.1:8200',
  dataDir: './.coffer',
  storage: 'sqlite',
  regions: 'fr-par,nl-ams,pl-waw',
  deletionRetentionSeconds: 7 * 24 * 3600,
  schedulerIntervalSeconds: 5,
  testClock: 'off',
  expiryNoticeDays: '30,7,1',
  postgresPoolSize: 10,
  logLevel: 'info',
  vaultMounts: '',
  authFailuresPerMinute: 20,
  keyRequestsPerSecond: 0,
  audit: 'on',
  auditCheckpointEvents: 1000,
  auditCheckpointSeconds: 60,
  auditRetentionDays: 0,
  consoleIdleMinutes: 30,
  consoleSessionHours: 12,
  consoleSecureCookies: 'off',
  metrics: 'on',
  trustProxy: '',
  hsmKeyLabel: 'coffer-root-key',
} as const;

/**
 * Vault mounts beyond `secret` (which always maps to the caller's default project in
 * the first region): `mount=projectId@region`, comma-separated; projectId or region
 * may be left empty for those defaults.
 */
const vaultMountsSchema = z
  .string()
  .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
  .pipe(
    z.array(
      z
        .string()
        .regex(
          /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*=([0-9a-fA-F-]{36})?(@[a-z]{2}-[a-z0-9]{2,8})?$/,
          'each mount looks like name=projectId@region',
        )
        .transform((entry) => {
          const [path = '', target = ''] = entry.split('=');
          const [projectId = '', region = ''] = target.split('@');
          return { path, projectId: projectId === '' ? null : projectId.toLowerCase(), region: region === '' ? null : region };
        }),
    ),
  );

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID');

const listenSchema = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be host:port')
  .transform((value) => {
    const split = value.lastIndexOf(':');
    return { host: value.slice(0, split).replace(/^\[|\]$/g, ''), port: Number(value.slice(split + 1)) };
  });

const configSchema = z
  .object({
    listen: listenSchema.describe('address the HTTP server binds, host:port'),
    dataDir: z.string().min(1).describe('folder for the SQLite file and the root key file'),
    storage: z.enum(['sqlite', 'postgres']).describe('storage engine'),
    postgresUrl: z.string().optional().describe('PostgreSQL connection URL, when storage is postgres'),
    postgresPoolSize: z.coerce.number().int().min(1).max(200),
    regions: z
      .string()
      .transform((value) => value.split(',').map((region) => region.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^[a-z]{2}-[a-z0-9]{2,8}$/, 'regions look like fr-par')).min(1)),
    rootKey: z.string().optional().describe('base64 root key; otherwise <dataDir>/root.key is used'),
    rootKeyPrimary: z.enum(['file', 'hsm']).optional().describe('which root key wraps new values while both a file key and an HSM are configured; default hsm when COFFER_HSM_MODULE is set'),
    hsmModule: z.string().min(1).optional().describe('path of the PKCS#11 module (.so) that holds the root key, e.g. /usr/lib/softhsm/libsofthsm2.so'),
    hsmSlot: z.coerce.number().int().min(0).optional().describe('slot id of the token; or COFFER_HSM_TOKEN_LABEL'),
    hsmTokenLabel: z.string().min(1).optional().describe('label of the token that holds the root key'),
    hsmPin: z.string().min(1).optional().describe('user PIN of the token; or COFFER_HSM_PIN_FILE'),
    hsmPinFile: z.string().min(1).optional().describe('file holding the user PIN (trailing newline ignored)'),
    hsmKeyLabel: z.string().min(1).describe('label of the AES-256 root key in the token'),
    rootAccessKey: z.string().regex(/^SCW[A-Z0-9]{17}$/, 'must be SCW followed by 17 upper-case letters or digits').optional(),
    rootSecretKey: uuid.optional(),
    defaultProjectId: uuid.optional(),
    organizationId: uuid.optional(),
    deletionRetentionSeconds: z.coerce.number().min(0),
    schedulerIntervalSeconds: z.coerce.number().positive().describe('how often the scheduler runs its jobs (purges, expiry, rotations, deliveries)'),
    maintenanceIntervalSeconds: z.coerce.number().positive().optional().describe('the older name of the scheduler interval; wins when set'),
    testClock: z.enum(['on', 'off']).describe('on only in tests: a clock that POST /coffer/v1/test/clock moves forward'),
    expiryNoticeDays: z
      .string()
      .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean).map(Number))
      .pipe(z.array(z.number().int().min(1).max(3650)).max(10))
      .describe('days before a secret expires when secret.expiring is published, comma-separated'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    vaultMounts: vaultMountsSchema,
    authFailuresPerMinute: z.coerce.number().int().min(1).describe('failed authentications per client address and minute before 429'),
    keyRequestsPerSecond: z.coerce.number().min(0).describe('requests a second per API key; 0 is no limit'),
    audit: z.enum(['on', 'off']).describe('off only to measure what auditing costs: requests are then not recorded'),
    auditCheckpointEvents: z.coerce.number().int().min(1).describe('a signed checkpoint at least every this many events'),
    auditCheckpointSeconds: z.coerce.number().positive().describe('and at least this often'),
    auditRetentionDays: z.coerce.number().min(0).describe('audit events older than this are pruned; 0 keeps them all'),
    consoleIdleMinutes: z.coerce.number().positive().describe('a console session unused this long ends'),
    consoleSessionHours: z.coerce.number().positive().describe('and none lasts longer than this'),
    consoleSecureCookies: z.enum(['on', 'off']).describe('on behind TLS: console cookies get the Secure attribute'),
    tlsCert: z.string().min(1).optional().describe('PEM certificate chain the listener serves; reloaded on SIGHUP'),
    tlsKey: z.string().min(1).optional().describe('PEM private key of that certificate'),
    metrics: z.enum(['on', 'off']).describe('Prometheus metrics at /metrics, unauthenticated'),
    trustProxy: z
      .string()
      .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^[0-9a-fA-F.:]+(\/\d{1,3})?$/, 'each entry is an IP address or a CIDR range'))),
  })
  .refine((config) => config.storage !== 'postgres' || Boolean(config.postgresUrl), {
    message: 'storage=postgres needs --postgres-url or COFFER_POSTGRES_URL',
    path: ['postgresUrl'],
  })
  .refine((config) => Boolean(config.rootAccessKey) === Boolean(config.rootSecretKey), {
    message: 'COFFER_ROOT_ACCESS_KEY and COFFER_ROOT_SECRET_KEY go together',
    path: ['rootAccessKey'],
  })
  .refine((config) => !config.hsmModule || (config.hsmSlot === undefined) !== (config.hsmTokenLabel === undefined), {
    message: 'an HSM needs exactly one of COFFER_HSM_SLOT and COFFER_HSM_TOKEN_LABEL',
    path: ['hsmModule'],
  })
  .refine((config) => !config.hsmModule || (config.hsmPin === undefined) !== (config.hsmPinFile === undefined), {
    message: 'an HSM needs exactly one of COFFER_HSM_PIN and COFFER_HSM_PIN_FILE',
    path: ['hsmModule'],
  })
  .refine((config) => config.rootKeyPrimary !== 'hsm' || Boolean(config.hsmModule), {
    message: 'COFFER_ROOT_KEY_PRIMARY=hsm needs COFFER_HSM_MODULE',
    path: ['rootKeyPrimary'],
  })
  .refine((config) => Boolean(config.tlsCert) === Boolean(config.tlsKey), {
    message: 'a TLS certificate and its key go together: give both --tls-cert and --tls-key (COFFER_TLS_CERT, COFFER_TLS_KEY), or neither',
    path: ['tlsCert'],
  });

export type Config = Readonly<z.output<typeof configSchema> & { dataDir: string }>;

/** Flags given on the command line; they win over the environment. */
export interface ServeFlags {
  listen?: string | undefined;
  dataDir?: string | undefined;
  storage?: string | undefined;
  postgresUrl?: string | undefined;
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  rootKeyPrimary?: string | undefined;
  hsmModule?: string | undefined;
  hsmSlot?: string | undefined;
  hsmTokenLabel?: string | undefined;
  hsmPinFile?: string | undefined;
  hsmKeyLabel?: string | undefined;
}

const ENV_NAMES = {
  listen: 'COFFER_LISTEN',
  dataDir: 'COFFER_DATA_DIR',
  storage: 'COFFER_STORAGE',
  postgresUrl: 'COFFER_POSTGRES_URL',
  postgresPoolSize: 'COFFER_POSTGRES_POOL_SIZE',
  regions: 'COFFER_REGIONS',
  rootKey: 'COFFER_ROOT_KEY',
  rootKeyPrimary: 'COFFER_ROOT_KEY_PRIMARY',
  hsmModule: 'COFFER_HSM_MODULE',
  hsmSlot: 'COFFER_HSM_SLOT',
  hsmTokenLabel: 'COFFER_HSM_TOKEN_LABEL',
  hsmPin: 'COFFER_HSM_PIN',
  hsmPinFile: 'COFFER_HSM_PIN_FILE',
  hsmKeyLabel: 'COFFER_HSM_KEY_LABEL',
  rootAccessKey: 'COFFER_ROOT_ACCESS_KEY',
  rootSecretKey: 'COFFER_ROOT_SECRET_KEY',
  defaultProjectId: 'COFFER_DEFAULT_PROJECT_ID',
  organizationId: 'COFFER_ORGANIZATION_ID',
  deletionRetentionSeconds: 'COFFER_DELETION_RETENTION_SECONDS',
  schedulerIntervalSeconds: 'COFFER_SCHEDULER_INTERVAL_SECONDS',
  maintenanceIntervalSeconds: 'COFFER_MAINTENANCE_INTERVAL_SECONDS',
  testClock: 'COFFER_TEST_CLOCK',
  expiryNoticeDays: 'COFFER_EXPIRY_NOTICE_DAYS',
  logLevel: 'COFFER_LOG_LEVEL',
  vaultMounts: 'COFFER_VAULT_MOUNTS',
  authFailuresPerMinute: 'COFFER_AUTH_FAILURES_PER_MINUTE',
  keyRequestsPerSecond: 'COFFER_KEY_REQUESTS_PER_SECOND',
  audit: 'COFFER_AUDIT',
  auditCheckpointEvents: 'COFFER_AUDIT_CHECKPOINT_EVENTS',
  auditCheckpointSeconds: 'COFFER_AUDIT_CHECKPOINT_SECONDS',
  auditRetentionDays: 'COFFER_AUDIT_RETENTION_DAYS',
  consoleIdleMinutes: 'COFFER_CONSOLE_IDLE_MINUTES',
  consoleSessionHours: 'COFFER_CONSOLE_SESSION_HOURS',
  consoleSecureCookies: 'COFFER_CONSOLE_SECURE_COOKIES',
  tlsCert: 'COFFER_TLS_CERT',
  tlsKey: 'COFFER_TLS_KEY',
  metrics: 'COFFER_METRICS',
  trustProxy: 'COFFER_TRUST_PROXY',
} as const;

export class ConfigError extends Error {}

/** Builds the configuration: flags, then environment, then defaults. Pure apart from `resolve`. */
export const loadConfig = (env: NodeJS.ProcessEnv, flags: ServeFlags = {}): Config => {
  const fromEnv = Object.fromEntries(
    Object.entries(ENV_NAMES)
      .map(([key, name]) => [key, env[name] === '' ? undefined : env[name]])
      .filter(([, value]) => value !== undefined),
  );
  const fromFlags = Object.fromEntries(Object.entries(flags).filter(([, value]) => value !== undefined));
  const parsed = configSchema.safeParse({ ...defaults, ...fromEnv, ...fromFlags });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const name = key in ENV_NAMES ? ENV_NAMES[key as keyof typeof ENV_NAMES] : key;
      return `  ${name}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  }
  return Object.freeze({ ...parsed.data, dataDir: resolve(parsed.data.dataDir) });
};
