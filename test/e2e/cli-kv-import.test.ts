import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cleanEnv, coffer } from '../cli/helpers.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** `coffer version add --import`: key_value pairs from .env, JSON and YAML files. */
describe('coffer version add --import', () => {
  let server: TestServer;
  let env: Record<string, string>;
  const folder = mkdtempSync(join(tmpdir(), 'coffer-import-'));
  const file = (name: string, text: string) => {
    const path = join(folder, name);
    writeFileSync(path, text);
    return path;
  };

  before(async () => {
    server = await startServer();
    env = cleanEnv({ COFFER_ADDR: server.url, COFFER_SECRET_KEY: server.secretKey });
  });
  after(async () => server.stop());

  it('turns each format into the same pairs, read back as JSON', () => {
    const created = coffer(['secret', 'create', '--name', 'app-config', '--path', '/prod', '--type', 'key_value', '-o', 'json'], env);
    assert.equal(created.status, 0, created.stderr);
    const sources = [
      file('app.env', '# settings\nexport DB_USER=app\nDB_PASSWORD="p@ss word"\nPORT=5432\n'),
      file('app.json', JSON.stringify({ DB_USER: 'app', DB_PASSWORD: 'p@ss word', PORT: '5432' })),
      file('app.yaml', 'DB_USER: app\nDB_PASSWORD: "p@ss word"\nPORT: "5432"\n'),
    ];
    for (const source of sources) {
      const added = coffer(['version', 'add', '/prod/app-config', '--import', source], env);
      assert.equal(added.status, 0, added.stderr);
      const read = coffer(['version', 'access', '/prod/app-config', 'latest'], env);
      assert.deepEqual(JSON.parse(read.stdout), { DB_USER: 'app', DB_PASSWORD: 'p@ss word', PORT: '5432' }, source);
    }
  });

  it('refuses nested values and unreadable files, naming the key but never a value', () => {
    const nested = coffer(['version', 'add', '/prod/app-config', '--import', file('nested.json', JSON.stringify({ DB: { password: 'hunter2' } }))], env);
    assert.equal(nested.status, 2);
    assert.match(nested.stderr, /the value of "DB" is not a string/);
    assert.doesNotMatch(nested.stderr, /hunter2/);
    const broken = coffer(['version', 'add', '/prod/app-config', '--import', file('broken.yaml', 'a: [unclosed\n')], env);
    assert.equal(broken.status, 2);
    assert.match(broken.stderr, /not valid YAML/);
  });
});
