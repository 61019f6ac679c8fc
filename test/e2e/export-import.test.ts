import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { scalewayHttp } from '../helpers/scaleway-http.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { cli, ok, seed, workDir, type Seeded } from './backup-helpers.js';

interface Listed {
  id: string;
  name: string;
  path: string;
  type: string;
  tags: string[];
  description: string;
}

/** A server's secrets with their versions' statuses and readable payloads, keyed by path and name. */
const contents = async (server: TestServer) => {
  const scw = scalewayHttp(server);
  const listed = await scw.call('GET', `/secrets?project_id=${server.projectId}&page_size=100`);
  const result = new Map<string, unknown>();
  for (const secret of (listed.json?.secrets ?? []) as Listed[]) {
    const versions = ((await scw.call('GET', `/secrets/${secret.id}/versions?page_size=100`)).json?.versions ?? []) as { revision: number; status: string }[];
    const described = [];
    for (const version of versions.sort((left, right) => left.revision - right.revision)) {
      described.push({ revision: version.revision, status: version.status, data: version.status === 'enabled' ? (await scw.access(secret.id, version.revision)).data : null });
    }
    result.set(`${secret.path}/${secret.name}`, { type: secret.type, tags: secret.tags, description: secret.description, versions: described });
  }
  return result;
};

/**
 * Secrets selected by path prefix and tag move from one server to another sealed to the
 * importer's key: the file holds no plaintext, and the importer recreates names, paths,
 * types, tags, descriptions and every revision with its state and payload.
 */
describe('coffer export and coffer import between two servers', () => {
  const dir = workDir();
  let source: TestServer;
  let target: TestServer;
  let seeded: Seeded;
  let keyFile: string;
  let publicKey: string;
  const exportFile = join(dir, 'selected.export');

  before(async () => {
    [source, target] = await Promise.all([startServer(), startServer()]);
    seeded = await seed(source, 'ex', 4);
    const scw = scalewayHttp(source);
    const kv = await scw.createSecret({ name: 'settings', project_id: source.projectId, path: '/app/config', type: 'key_value', tags: ['keep'], description: 'typed' });
    for (const value of ['{"user":"alpha-user-value"}', '{"user":"beta-user-value"}']) {
      seeded.plaintexts.push(value);
      await scw.addVersion(kv, value);
    }
    keyFile = join(dir, 'importer.key');
    publicKey = ok(cli(null, ['import', 'keygen', '--out', keyFile]), 'keygen').stdout.trim();
  });
  after(async () => {
    await Promise.all([source.stop(), target.stop()]);
  });

  it('exports by path prefix and tag into a file that holds none of the plaintexts', () => {
    const result = ok(cli(source, ['export', '--recipient', publicKey, '--path-prefix', '/app', '--tag', 'keep', '--out', exportFile]), 'export');
    assert.match(result.stdout, /exported 3 secrets \(8 versions\)/);
    const bytes = readFileSync(exportFile);
    for (const plaintext of seeded.plaintexts) {
      assert.equal(bytes.includes(Buffer.from(plaintext)), false, 'a plaintext in the export');
      assert.equal(bytes.includes(Buffer.from(Buffer.from(plaintext).toString('base64'))), false, 'a base64 plaintext in the export');
    }
  });

  it('refuses a tampered export as a whole and writes nothing', async () => {
    const text = readFileSync(exportFile, 'utf8');
    const tampered = join(dir, 'tampered.export');
    writeFileSync(tampered, text.replace('"description":"seeded 0"', '"description":"seeded X"'));
    const result = cli(target, ['import', tampered, '--identity', keyFile]);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /import refused, nothing written: the export fails its integrity check/);
    const otherKey = join(dir, 'other.key');
    ok(cli(null, ['import', 'keygen', '--out', otherKey]), 'keygen');
    assert.match(cli(target, ['import', exportFile, '--identity', otherKey]).stderr, /wrong key/);
    assert.equal((await contents(target)).size, 0);
  });

  it('imports it on the other server with names, paths, types, tags, revisions, states and payloads', async () => {
    ok(cli(target, ['import', exportFile, '--identity', keyFile]), 'import');
    const [from, to] = await Promise.all([contents(source), contents(target)]);
    const selected = [...from.keys()].filter((key) => key.startsWith('/app/'));
    assert.deepEqual([...to.keys()].sort(), selected.sort());
    for (const key of selected) {
      assert.deepEqual(to.get(key), from.get(key), key);
    }
  });

  it('refuses to import over secrets that exist already', () => {
    const again = cli(target, ['import', exportFile, '--identity', keyFile]);
    assert.notEqual(again.status, 0);
    assert.match(again.stderr, /already exists on the target/);
  });

  it('refuses an export to a key without access to the payloads, and a malformed recipient', async () => {
    const asReader = await fetch(`${source.url}/coffer/v1/export?project_id=${source.projectId}&recipient=${encodeURIComponent(publicKey)}`, { headers: { 'x-auth-token': seeded.appSecretKey } });
    assert.equal(asReader.status, 403);
    const malformed = await fetch(`${source.url}/coffer/v1/export?project_id=${source.projectId}&recipient=not-a-key`, { headers: { 'x-auth-token': source.secretKey } });
    assert.equal(malformed.status, 400);
    assert.match(await malformed.text(), /recipient/);
  });

  it('refuses to export a deactivated secret, naming it', async () => {
    const scw = scalewayHttp(source);
    const id = await scw.createSecret({ name: 'switched-off', project_id: source.projectId, path: '/off', tags: ['off'] });
    await scw.addVersion(id, 'value of a deactivated secret');
    const disabled = await fetch(`${source.url}/coffer/v1/regions/fr-par/secrets/${id}/disable`, { method: 'POST', headers: { 'x-auth-token': source.secretKey, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(disabled.status, 200, await disabled.text());
    const refused = cli(source, ['export', '--recipient', publicKey, '--tag', 'off', '--out', join(dir, 'off.export')]);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /412.*\/off\/switched-off is deactivated or expired/);
  });
});
