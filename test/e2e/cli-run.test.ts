import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { api, cleanEnv, coffer, cofferAsync } from '../cli/helpers.js';
import { startServer, type TestServer } from '../helpers/server.js';

const PASSWORD = 'correct-horse-battery-staple';
const API_KEY = 'sk_live_0123456789abcdef';
const MASK = '<concealed by coffer>';

/** `coffer run`: references in the environment resolved, output masked, exit codes and signals passed on. */
describe('coffer run', () => {
  let server: TestServer;
  let env: Record<string, string>;
  const node = process.execPath;

  before(async () => {
    server = await startServer();
    await api(server, 'POST', '/v1/secret/data/app', { data: { password: PASSWORD, api_key: API_KEY, short: 'abc' } }, { 'x-vault-token': server.secretKey });
    env = cleanEnv({
      VAULT_ADDR: server.url,
      VAULT_TOKEN: server.secretKey,
      DB_PASSWORD: 'vault://secret/app#password',
      API_KEY: 'ref+vault://secret/app#/api_key',
      SHORT: 'vault://secret/app#short',
      DATABASE_URL: 'postgres://user@db/app',
    });
  });
  after(async () => server.stop());

  it('gives the child the values and conceals them in its stdout and stderr', () => {
    const script = `
      const ok = process.env.DB_PASSWORD === process.argv[1] && process.env.API_KEY === process.argv[2];
      console.log(ok ? 'the child sees the values' : 'wrong values');
      console.log('password=' + process.env.DB_PASSWORD + ' url=' + process.env.DATABASE_URL + ' short=' + process.env.SHORT);
      console.error('key:' + process.env.API_KEY);`;
    const result = coffer(['run', '--', node, '-e', script, PASSWORD, API_KEY], env);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^the child sees the values$/m);
    assert.match(result.stdout, new RegExp(`^password=${MASK} url=postgres://user@db/app short=abc$`, 'm'));
    assert.match(result.stderr, new RegExp(`^key:${MASK}$`, 'm'));
    assert.match(result.stderr, /1 resolved value\(s\) shorter than 4 bytes will not be concealed/);
    assert.ok(!result.stdout.includes(PASSWORD) && !result.stderr.includes(API_KEY));
  });

  it('conceals a value the child writes in pieces, and the longest value first', () => {
    const script = `
      const [head, tail] = [process.env.DB_PASSWORD.slice(0, 7), process.env.DB_PASSWORD.slice(7)];
      process.stdout.write('a' + head);
      setTimeout(() => { process.stdout.write(tail + 'z\\n'); process.stdout.write(process.env.LONGER + '\\n'); }, 100);`;
    const result = coffer(['run', '--', node, '-e', script], { ...env, LONGER: 'vault://secret/app' });
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.equal(lines[0], `a${MASK}z`);
    // the whole JSON document is one value: it is concealed whole, not piece by piece
    assert.equal(lines[1], MASK);
  });

  it('--no-masking leaves the output alone', () => {
    const result = coffer(['run', '--no-masking', '--', node, '-e', 'console.log(process.env.DB_PASSWORD)'], env);
    assert.equal(result.stdout, `${PASSWORD}\n`);
  });

  it("reads env files in order and passes the child's exit code on", () => {
    const folder = mkdtempSync(join(tmpdir(), 'coffer-run-'));
    writeFileSync(join(folder, 'a.env'), '# first\nTOKEN=vault://secret/app#password\nMODE=one\n');
    writeFileSync(join(folder, 'b.env'), 'export MODE="two"\n');
    const script = 'console.log(process.env.TOKEN === process.argv[1], process.env.MODE); process.exit(42)';
    const result = coffer(['run', '--env-file', join(folder, 'a.env'), '--env-file', join(folder, 'b.env'), '--', node, '-e', script, PASSWORD], env);
    assert.equal(result.status, 42, result.stderr);
    assert.equal(result.stdout, 'true two\n');
  });

  it('never starts the child when one reference fails, and names the variable', () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'coffer-run-')), 'started');
    const result = coffer(['run', '--', node, '-e', `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'x')`], { ...env, MISSING: 'vault://secret/nothing#k' });
    assert.equal(result.status, 5, result.stderr);
    assert.match(result.stderr, /MISSING: vault:\/\/secret\/nothing#k: secret not found\nthe command was not started/);
    assert.equal(existsSync(marker), false);
    const syntax = coffer(['run', '--', node, '-e', `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'x')`], { ...env, BAD: 'vault://secret//x' });
    assert.equal(syntax.status, 6);
    assert.equal(existsSync(marker), false);
  });

  it('a command that does not exist exits 127', () => {
    const result = coffer(['run', '--', 'no-such-command-anywhere'], env);
    assert.equal(result.status, 127);
    assert.match(result.stderr, /cannot run no-such-command-anywhere: command not found/);
  });

  const startRun = async (script: string) => {
    const child = cofferAsync(['run', '--', node, '-e', script], env);
    let stdout = '';
    child.stderr.resume();
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('ready')) {
          resolve();
        }
      });
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    return { child, exited, output: () => stdout };
  };

  it('forwards SIGTERM to the child and exits with its code', async () => {
    const run = await startRun(`process.on('SIGTERM', () => { console.log('child got SIGTERM'); process.exit(7); }); console.log('ready'); setInterval(() => {}, 1000);`);
    run.child.kill('SIGTERM');
    const { code } = await run.exited;
    assert.equal(code, 7);
    assert.match(run.output(), /child got SIGTERM/);
  });

  it('ends by the same signal as a child that a signal killed', async () => {
    const run = await startRun(`console.log('ready'); setInterval(() => {}, 1000);`);
    run.child.kill('SIGINT');
    const { code, signal } = await run.exited;
    assert.equal(signal, 'SIGINT', `exit code ${String(code)}`);
  });
});
