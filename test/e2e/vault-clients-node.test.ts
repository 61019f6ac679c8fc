import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import nodeVault from 'node-vault';
import { ENGINES, startServerOn, type TestServer } from '../helpers/server.js';
import { uniqueKey } from '../helpers/vault-http.js';

interface Rejection {
  message: string;
  response?: { statusCode?: number; body?: { data?: { metadata?: { deletion_time?: string } } } };
}

const rejectionOf = async (promise: Promise<unknown>): Promise<Rejection> => {
  try {
    await promise;
  } catch (error) {
    return error as Rejection;
  }
  assert.fail('expected the call to be rejected');
};

/** node-vault from npm, unchanged: its generic read/write/list/update/delete against Coffer. */
for (const engine of ENGINES) {
  describe(`node-vault against Coffer on ${engine}`, () => {
    let server: TestServer;
    let stop: () => Promise<void>;
    let vault: nodeVault.client;
    before(async () => {
      ({ server, stop } = await startServerOn(engine));
      vault = nodeVault({ apiVersion: 'v1', endpoint: server.url, token: server.secretKey });
    });
    after(async () => stop());

    it('checks health, its token and the mounts', async () => {
      const health = (await vault.health()) as { initialized: boolean; sealed: boolean };
      assert.equal(health.initialized, true);
      assert.equal(health.sealed, false);
      const self = (await vault.tokenLookupSelf()) as { data: { type: string; ttl: number } };
      assert.equal(self.data.type, 'service');
      const mounts = (await vault.mounts()) as Record<string, { type?: string; options?: { version?: string } }>;
      assert.equal(mounts['secret/']?.options?.version, '2');
    });

    it('writes, reads, patches and lists KV v2 secrets', async () => {
      const key = uniqueKey('app');
      const written = (await vault.write(`secret/data/node/${key}`, { data: { user: 'app', password: 'p1' }, options: { cas: 0 } })) as { data: { version: number } };
      assert.equal(written.data.version, 1);
      const read = (await vault.read(`secret/data/node/${key}`)) as { data: { data: Record<string, string>; metadata: { version: number } } };
      assert.deepEqual(read.data.data, { password: 'p1', user: 'app' });
      const patched = (await vault.update(`secret/data/node/${key}`, { data: { password: 'p2' } })) as { data: { version: number } };
      assert.equal(patched.data.version, 2);
      const latest = (await vault.read(`secret/data/node/${key}`)) as { data: { data: Record<string, string> } };
      assert.deepEqual(latest.data.data, { password: 'p2', user: 'app' });
      const listed = (await vault.list('secret/metadata/node')) as { data: { keys: string[] } };
      assert.ok(listed.data.keys.includes(key));
      const viaGet = nodeVault({ apiVersion: 'v1', endpoint: server.url, token: server.secretKey, noCustomHTTPVerbs: true });
      assert.ok(((await viaGet.list('secret/metadata/node')) as { data: { keys: string[] } }).data.keys.includes(key));
    });

    it('surfaces CAS conflicts, deleted versions and missing keys as rejections', async () => {
      const key = uniqueKey('conflict');
      await vault.write(`secret/data/${key}`, { data: { v: 1 } });
      const conflict = await rejectionOf(vault.write(`secret/data/${key}`, { data: { v: 2 }, options: { cas: 0 } }));
      assert.equal(conflict.message, 'check-and-set parameter did not match the current version');
      assert.equal(conflict.response?.statusCode, 400);
      await vault.delete(`secret/data/${key}`);
      const deleted = await rejectionOf(vault.read(`secret/data/${key}`));
      assert.equal(deleted.message, 'Status 404');
      assert.notEqual(deleted.response?.body?.data?.metadata?.deletion_time, '');
      const missing = await rejectionOf(vault.read(`secret/data/${uniqueKey('missing')}`));
      assert.equal(missing.response?.statusCode, 404);
      const denied = await rejectionOf(nodeVault({ endpoint: server.url, token: 'wrong' }).read(`secret/data/${key}`));
      assert.equal(denied.response?.statusCode, 403);
      assert.match(denied.message, /permission denied/);
    });
  });
}
