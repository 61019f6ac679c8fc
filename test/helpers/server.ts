import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestDatabase, type TestDatabase } from './postgres.js';

export const ROOT_DIR = resolve(import.meta.dirname, '..', '..');

export interface TestServer {
  url: string;
  accessKey: string;
  secretKey: string;
  projectId: string;
  organizationId: string;
  dataDir: string;
  process: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartOptions {
  storage?: 'sqlite' | 'postgres';
  postgresUrl?: string;
  dataDir?: string;
  env?: Record<string, string>;
  /** Reuse the same credentials and ids (a second process on the same store). */
  identity?: Pick<TestServer, 'accessKey' | 'secretKey' | 'projectId' | 'organizationId'>;
  /** Run the compiled build (`bin/coffer.js`, after `npm run build`), as users do, instead of the sources. */
  compiled?: boolean;
}

const randomAccessKey = (): string =>
  `SCW${Array.from({ length: 17 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[Math.floor(Math.random() * 36)]).join('')}`;

/**
 * Starts a real `coffer serve` process on 127.0.0.1 with a free port and waits for it
 * to announce its URL. The process is the same code path users run.
 */
export const startServer = async (options: StartOptions = {}): Promise<TestServer> => {
  // Only the identity fields: callers often pass a whole TestServer here.
  const identity = options.identity
    ? {
        accessKey: options.identity.accessKey,
        secretKey: options.identity.secretKey,
        projectId: options.identity.projectId,
        organizationId: options.identity.organizationId,
      }
    : {
    accessKey: randomAccessKey(),
    secretKey: randomUUID(),
    projectId: randomUUID(),
    organizationId: randomUUID(),
  };
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'coffer-test-'));
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    COFFER_LISTEN: '127.0.0.1:0',
    COFFER_DATA_DIR: dataDir,
    COFFER_STORAGE: options.storage ?? 'sqlite',
    COFFER_ROOT_ACCESS_KEY: identity.accessKey,
    COFFER_ROOT_SECRET_KEY: identity.secretKey,
    COFFER_DEFAULT_PROJECT_ID: identity.projectId,
    COFFER_ORGANIZATION_ID: identity.organizationId,
    COFFER_LOG_LEVEL: 'warn',
    // Tests send bad keys on purpose, many per minute from 127.0.0.1; the throttle test sets its own limit.
    COFFER_AUTH_FAILURES_PER_MINUTE: '100000',
    ...(options.postgresUrl ? { COFFER_POSTGRES_URL: options.postgresUrl } : {}),
    ...options.env,
  };
  const entry = options.compiled ? [join(ROOT_DIR, 'bin/coffer.js')] : ['--import', 'tsx', join(ROOT_DIR, 'src/cli/index.ts')];
  const child = spawn(process.execPath, [...entry, 'serve'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${output}`)), 30_000);
    const check = () => {
      const match = /Coffer listening on (https?:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${String(code)} before listening:\n${output}`));
    });
  });
  const exited = new Promise<number | null>((resolveExit) => {
    if (child.exitCode !== null) {
      resolveExit(child.exitCode);
    }
    child.once('exit', (code) => resolveExit(code));
  });
  return {
    url,
    ...identity,
    dataDir,
    process: child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) {
        child.kill(signal);
      }
      const code = await exited;
      if (!options.dataDir) {
        rmSync(dataDir, { recursive: true, force: true });
      }
      return code;
    },
  };
};

/** Both engines, for suites that must pass on each. PostgreSQL is required, never skipped. */
export const ENGINES = ['sqlite', 'postgres'] as const;

export const startServerOn = async (
  engine: (typeof ENGINES)[number],
  options: StartOptions = {},
): Promise<{ server: TestServer; database?: TestDatabase; stop(): Promise<void> }> => {
  const database = engine === 'postgres' ? await createTestDatabase() : undefined;
  const server = await startServer({ ...options, storage: engine, ...(database ? { postgresUrl: database.url } : {}) });
  return {
    server,
    ...(database ? { database } : {}),
    stop: async () => {
      await server.stop();
      await database?.drop();
    },
  };
};
