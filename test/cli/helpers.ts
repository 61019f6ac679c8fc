import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT_DIR, type TestServer } from '../helpers/server.js';

export const CLI_ENTRY = join(ROOT_DIR, 'src/cli/index.ts');

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * An environment with nothing from the developer's shell but PATH: no SCW_*, VAULT_*
 * or AWS_* leaks in, HOME is a fresh folder and the config file is the test's.
 */
export const cleanEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: mkdtempSync(join(tmpdir(), 'coffer-cli-home-')),
  AWS_EC2_METADATA_DISABLED: 'true',
  NO_COLOR: '1',
  ...extra,
});

/** Runs `coffer …` from the sources, as the e2e tests of the CLI do. */
export const coffer = (args: string[], env: Record<string, string>, input?: string | Buffer): CliResult => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args], { cwd: ROOT_DIR, env, input, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
};

/** The same without blocking this process, for tests that serve the CLI's requests themselves. */
export const cofferResult = (args: string[], env: Record<string, string>): Promise<CliResult> =>
  new Promise((resolve) => {
    const child = cofferAsync(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });

/** The same, asynchronously, for tests that signal the process while it runs. */
export const cofferAsync = (args: string[], env: Record<string, string>) =>
  spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args], { cwd: ROOT_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });

export const writeConfig = (config: unknown): string => {
  const path = join(mkdtempSync(join(tmpdir(), 'coffer-cli-config-')), 'config.json');
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
};

/**
 * Raw HTTP calls to seed the server through its own wire APIs. A fresh connection each
 * time: these calls come between long CLI runs, and a pooled keep-alive connection
 * the server has just closed would fail the test for no reason of its own.
 */
export const api = (server: TestServer, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> =>
  new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = httpRequest(
      `${server.url}${path}`,
      { method, agent: false, headers: { 'x-auth-token': server.secretKey, ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (status < 200 || status >= 300) {
            reject(new Error(`${method} ${path} answered ${status}: ${text}`));
            return;
          }
          resolve(text ? (JSON.parse(text) as Record<string, unknown>) : {});
        });
      },
    );
    request.on('error', reject);
    request.end(payload);
  });

export const SCW = '/secret-manager/v1beta1/regions/fr-par';

/** A Scaleway secret with one version per payload given; returns its id. */
export const seedSecret = async (server: TestServer, input: { name: string; path?: string; type?: string }, ...payloads: string[]): Promise<string> => {
  const secret = await api(server, 'POST', `${SCW}/secrets`, { name: input.name, path: input.path ?? '/', type: input.type ?? 'opaque' });
  const id = String(secret.id);
  for (const payload of payloads) {
    await api(server, 'POST', `${SCW}/secrets/${id}/versions`, { data: Buffer.from(payload).toString('base64') });
  }
  return id;
};
