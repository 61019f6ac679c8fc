import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import nodeVault from 'node-vault';
import { ENGINES, startServerOn, type TestServer } from '../helpers/server.js';
import { rejectionOf, uniqueKey } from '../helpers/vault-http.js';

interface KvWritten {
  data: { version: number; deletion_time: string; destroyed: boolean };
}
interface KvRead {
  data: { data: Record<string, unknown>; metadata: { version: number; deletion_time: string } };
}

/** node-vault from npm, unchanged: its generic read/write/update/list/delete and helpers against Coffer, on both engines. */
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

    it('health, tokenLookupSelf and mounts', async () => {
      const health = (await vault.health()) as { initialized: boolean; sealed: boolean; standby: boolean };
      assert.deepEqual({ initialized: health.initialized, sealed: health.sealed, standby: health.standby }, { initialized: true, sealed: false, standby: false });
      const self = (await vault.tokenLookupSelf()) as { data: Record<string, unknown> };
      assert.equal(self.data.type, 'service');
      assert.equal(typeof self.data.ttl, 'number');
      assert.ok('expire_time' in self.data);
      const mounts = (await vault.mounts()) as Record<string, { type?: string; options?: { version?: string } } | undefined> & { data?: Record<string, unknown> };
      assert.equal(mounts['secret/']?.type, 'kv');
      assert.deepEqual(mounts['secret/']?.options, { version: '2' });
      assert.deepEqual(mounts.data?.['secret/'], mounts['secret/']);
    });

    it('write (POST) creates versions, read returns the latest or a given one', async () => {
      const key = uniqueKey('app');
      const first = (await vault.write(`secret/data/node/${key}`, { data: { user: 'app', password: 'p1' } })) as KvWritten;
      assert.equal(first.data.version, 1);
      assert.equal(first.data.deletion_time, '');
      assert.equal(first.data.destroyed, false);
      const second = (await vault.write(`secret/data/node/${key}`, { data: { user: 'app', password: 'p2' }, options: { cas: 1 } })) as KvWritten;
      assert.equal(second.data.version, 2);
      const latest = (await vault.read(`secret/data/node/${key}`)) as KvRead;
      assert.deepEqual(latest.data.data, { password: 'p2', user: 'app' });
      assert.equal(latest.data.metadata.version, 2);
      const older = (await vault.read(`secret/data/node/${key}?version=1`)) as KvRead;
      assert.deepEqual(older.data.data, { password: 'p1', user: 'app' });
      assert.equal(older.data.metadata.version, 1);
    });

    it('update sends a merge patch that becomes a new version', async () => {
      const key = uniqueKey('patched');
      await vault.write(`secret/data/${key}`, { data: { user: 'app', password: 'p1', nested: { keep: 1, drop: 2 } } });
      const patched = (await vault.update(`secret/data/${key}`, { data: { password: 'p2', nested: { drop: null } }, options: { cas: 1 } })) as KvWritten;
      assert.equal(patched.data.version, 2);
      const read = (await vault.read(`secret/data/${key}`)) as KvRead;
      assert.deepEqual(read.data.data, { nested: { keep: 1 }, password: 'p2', user: 'app' });
      const conflict = await rejectionOf(vault.update(`secret/data/${key}`, { data: { password: 'p3' }, options: { cas: 1 } }));
      assert.equal(conflict.message, 'check-and-set parameter did not match the current version');
      const missing = await rejectionOf(vault.update(`secret/data/${uniqueKey('absent')}`, { data: { a: 1 } }));
      assert.equal(missing.message, 'Status 404');
    });

    it('rejects a CAS conflict with Vault\'s message, and writes nothing', async () => {
      const key = uniqueKey('conflict');
      await vault.write(`secret/data/${key}`, { data: { v: 1 }, options: { cas: 0 } });
      const conflict = await rejectionOf(vault.write(`secret/data/${key}`, { data: { v: 2 }, options: { cas: 0 } }));
      assert.equal(conflict.message, 'check-and-set parameter did not match the current version');
      assert.equal(conflict.response?.statusCode, 400);
      const read = (await vault.read(`secret/data/${key}`)) as KvRead;
      assert.deepEqual(read.data.data, { v: 1 });
      assert.equal(read.data.metadata.version, 1);
    });

    it('rejects reading a deleted or destroyed version with Status 404, the metadata in the body', async () => {
      const key = uniqueKey('deleted');
      await vault.write(`secret/data/${key}`, { data: { v: 1 } });
      await vault.write(`secret/data/${key}`, { data: { v: 2 } });
      await vault.delete(`secret/data/${key}`);
      const deleted = await rejectionOf(vault.read(`secret/data/${key}`));
      assert.equal(deleted.message, 'Status 404');
      assert.equal(deleted.response?.statusCode, 404);
      assert.equal(deleted.response?.body?.data?.data, null);
      assert.equal(deleted.response?.body?.data?.metadata?.version, 2);
      assert.notEqual(deleted.response?.body?.data?.metadata?.deletion_time, '');
      await vault.write(`secret/destroy/${key}`, { versions: [1] });
      const destroyed = await rejectionOf(vault.read(`secret/data/${key}?version=1`));
      assert.equal(destroyed.message, 'Status 404');
      assert.equal(destroyed.response?.body?.data?.metadata?.destroyed, true);
      await vault.write(`secret/undelete/${key}`, { versions: [2] });
      assert.deepEqual(((await vault.read(`secret/data/${key}`)) as KvRead).data.data, { v: 2 });
      const missing = await rejectionOf(vault.read(`secret/data/${uniqueKey('missing')}`));
      assert.equal(missing.message, 'Status 404');
      assert.equal(missing.response?.statusCode, 404);
    });
  });
}
