import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { api, cleanEnv, coffer } from '../cli/helpers.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** `coffer inject`: placeholders rendered, a private file written in one step, or nothing at all. */
describe('coffer inject', () => {
  let server: TestServer;
  let env: Record<string, string>;
  let folder: string;

  before(async () => {
    server = await startServer();
    await api(server, 'POST', '/v1/secret/data/app', { data: { user: 'app', password: 'p@ss:w0rd"x' } }, { 'x-vault-token': server.secretKey });
    env = cleanEnv({ VAULT_ADDR: server.url, VAULT_TOKEN: server.secretKey });
  });
  after(async () => server.stop());

  const template = (name: string, text: string) => {
    folder = mkdtempSync(join(tmpdir(), 'coffer-inject-'));
    const path = join(folder, name);
    writeFileSync(path, text);
    return path;
  };

  it('renders every placeholder into a 0600 file', () => {
    const input = template('app.conf.tpl', 'user = {{ vault://secret/app#user }}\npassword = {{vault://secret/app#password}}\nkeep = {{ "{{ literal }}" }} and {{ vault://secret/app#user }}\n');
    const out = join(folder, 'app.conf');
    const result = coffer(['inject', '-i', input, '-o', out], env);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(readFileSync(out, 'utf8'), 'user = app\npassword = p@ss:w0rd"x\nkeep = {{ literal }} and app\n');
    assert.equal(statSync(out).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(folder).sort(), ['app.conf', 'app.conf.tpl']);
  });

  it('takes another mode, replaces an existing file, and writes to stdout without -o', () => {
    const input = template('t.tpl', '{{ vault://secret/app#user }}');
    const out = join(folder, 'out');
    writeFileSync(out, 'old', { mode: 0o644 });
    assert.equal(coffer(['inject', '-i', input, '-o', out, '--file-mode', '0640'], env).status, 0);
    assert.equal(readFileSync(out, 'utf8'), 'app');
    assert.equal(statSync(out).mode & 0o777, 0o640);
    const piped = coffer(['inject'], env, 'u={{ vault://secret/app#user }}');
    assert.equal(piped.stdout, 'u=app');
  });

  it('writes nothing when one reference fails: the old file stays, no temporary file is left', () => {
    const input = template('t.tpl', 'ok = {{ vault://secret/app#user }}\n\n  x = {{ vault://secret/app#nope }}\n');
    const out = join(folder, 'out');
    writeFileSync(out, 'previous content');
    const result = coffer(['inject', '-i', input, '-o', out], env);
    assert.equal(result.status, 5, result.stderr);
    assert.match(result.stderr, /t\.tpl:3:7: vault:\/\/secret\/app#nope: field "nope" is not in the payload/);
    assert.equal(readFileSync(out, 'utf8'), 'previous content');
    assert.deepEqual(readdirSync(folder).sort(), ['out', 't.tpl']);
    const fresh = join(folder, 'fresh');
    assert.equal(coffer(['inject', '-i', input, '-o', fresh], env).status, 5);
    assert.deepEqual(readdirSync(folder).sort(), ['out', 't.tpl']);
  });

  it('reports template errors with their line and column', () => {
    const unclosed = coffer(['inject', '-i', template('bad.tpl', 'a\nb {{ vault://secret/app#user\n')], env);
    assert.equal(unclosed.status, 6);
    assert.match(unclosed.stderr, /bad\.tpl:2:3: "\{\{" is not closed/);
    const syntax = coffer(['inject', '-i', template('bad.tpl', '{{ vault://secret/app@x#user }}')], env);
    assert.equal(syntax.status, 6);
    assert.match(syntax.stderr, /bad\.tpl:1:1: vault:\/\/secret\/app@x#user: syntax error at column 20: version "x" is not a version number/);
  });
});
