import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import nodeVault from 'node-vault';
import { ENGINES, startServerOn, type TestServer } from '../helpers/server.js';
import { rejectionOf, uniqueKey } from '../helpers/vault-http.js';

interface Listed {
  data: { keys: string[] };
}
interface Metadata {
  data: { current_version: number; max_versions: number; custom_metadata: Record<string, string> | null; versions: Record<string, { deletion_time: string }> };
}
interface KvRead {
  data: { data: Record<string, unknown>; metadata: { version: number } };
}

/** node-vault's list (the LIST verb, or GET ?list=1), metadata writes and deletes, and refused tokens. */
for (const engine of ENGINES) {
  describe(`node-vault lists and metadata against Coffer on ${engine}`, () => {
    let server: TestServer;
    let stop: () => Promise<void>;
    let vault: nodeVault.client;
    before(async () => {
      ({ server, stop } = await startServerOn(engine));
      vault = nodeVault({ apiVersion: 'v1', endpoint: server.url, token: server.secretKey });
    });
    after(async () => stop());

    it('lists folders with the LIST verb and with GET ?list=1', async () => {
      const folder = uniqueKey('listed');
      await vault.write(`secret/data/${folder}/a`, { data: { v: 1 } });
      await vault.write(`secret/data/${folder}/b/c`, { data: { v: 1 } });
      const viaGet = nodeVault({ apiVersion: 'v1', endpoint: server.url, token: server.secretKey, noCustomHTTPVerbs: true });
      for (const client of [vault, viaGet]) {
        assert.deepEqual(((await client.list(`secret/metadata/${folder}`)) as Listed).data.keys, ['a', 'b/']);
        assert.deepEqual(((await client.list(`secret/metadata/${folder}/b/`)) as Listed).data.keys, ['c']);
        assert.ok(((await client.list('secret/metadata/')) as Listed).data.keys.includes(`${folder}/`));
        const empty = await rejectionOf(client.list(`secret/metadata/${uniqueKey('empty')}/`));
        assert.equal(empty.message, 'Status 404');
      }
      const afterList = (await vault.read(`secret/data/${folder}/a`)) as KvRead;
      assert.deepEqual(afterList.data.data, { v: 1 }, 'the connection LIST closed does not break the next call');
    });

    it('writes and reads metadata, soft-deletes versions, and deletes the whole key', async () => {
      const key = uniqueKey('meta');
      await vault.write(`secret/metadata/${key}`, { max_versions: 4, custom_metadata: { owner: 'node' } });
      await vault.write(`secret/data/${key}`, { data: { v: 1 } });
      await vault.write(`secret/data/${key}`, { data: { v: 2 } });
      await vault.write(`secret/delete/${key}`, { versions: [1] });
      const metadata = (await vault.read(`secret/metadata/${key}`)) as Metadata;
      assert.equal(metadata.data.current_version, 2);
      assert.equal(metadata.data.max_versions, 4);
      assert.deepEqual(metadata.data.custom_metadata, { owner: 'node' });
      assert.notEqual(metadata.data.versions['1']?.deletion_time, '');
      assert.equal(metadata.data.versions['2']?.deletion_time, '');

      await vault.delete(`secret/metadata/${key}`);
      assert.equal((await rejectionOf(vault.read(`secret/metadata/${key}`))).message, 'Status 404');
      const again = (await vault.write(`secret/data/${key}`, { data: { v: 'new' } })) as { data: { version: number } };
      assert.equal(again.data.version, 1);
    });

    it('rejects refused input with Vault\'s messages', async () => {
      const key = uniqueKey('refused');
      assert.equal((await rejectionOf(vault.write(`secret/data/${key}`, {}))).message, 'no data provided');
      assert.equal((await rejectionOf(vault.write(`secret/delete/${key}`, { versions: [] }))).message, 'No version number provided');
      assert.equal((await rejectionOf(vault.write(`secret/destroy/${key}`, { versions: [] }))).message, 'no version number provided');
      assert.equal((await rejectionOf(vault.read(`secret/metadata/${key}`))).message, 'Status 404');
    });

    it('rejects a wrong token with 403 permission denied', async () => {
      const key = uniqueKey('denied');
      await vault.write(`secret/data/${key}`, { data: { v: 1 } });
      const stranger = nodeVault({ apiVersion: 'v1', endpoint: server.url, token: 'wrong' });
      const attempts = [
        () => stranger.read(`secret/data/${key}`),
        () => stranger.write(`secret/data/${key}`, { data: { v: 2 } }),
        () => stranger.list('secret/metadata/'),
        () => stranger.tokenLookupSelf(),
      ];
      for (const attempt of attempts) {
        const denied = await rejectionOf(attempt());
        assert.equal(denied.response?.statusCode, 403);
        assert.match(denied.message, /permission denied/);
      }
      assert.equal(((await vault.read(`secret/data/${key}`)) as KvRead).data.metadata.version, 1);
    });
  });
}
