import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createClient } from '@scaleway/sdk-client';
import { KeyManagerv1alpha1 } from '@scaleway/sdk-key-manager';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { scalewayHttp } from '../helpers/scaleway-http.js';
import { ENGINES, startServer, type StartOptions, type TestServer } from '../helpers/server.js';
import { createSoftHsmToken, type SoftHsmToken } from '../helpers/softhsm.js';

/**
 * File key → HSM → file key, on one store, with reads in between: secrets under project
 * KEKs, a secret under a customer-managed key, a Key Manager ciphertext, and the audit
 * chain (its signing key is wrapped by the root key too).
 */
for (const engine of ENGINES) {
  describe(`moving the root key between a file and an HSM on ${engine}`, () => {
    let token: SoftHsmToken;
    let database: TestDatabase | undefined;
    let dataDir: string;
    let server: TestServer | undefined;
    let identity: TestServer;
    const written: { id: string; value: string }[] = [];
    let keyId = '';
    let ciphertext = '';

    const start = async (env: Record<string, string>): Promise<TestServer> => {
      const options: StartOptions = { dataDir, storage: engine, env, ...(database ? { postgresUrl: database.url } : {}) };
      server = await startServer(identity ? { ...options, identity } : options);
      return server;
    };
    const stop = async () => {
      assert.equal(await server?.stop(), 0);
      server = undefined;
    };
    const readEverything = async (current: TestServer) => {
      const api = scalewayHttp(current);
      for (const { id, value } of written) {
        const read = await api.access(id);
        assert.equal(read.status, 200, read.text);
        assert.equal(read.data, value);
      }
      const keys = new KeyManagerv1alpha1.API(createClient({ accessKey: current.accessKey, secretKey: current.secretKey, apiURL: current.url, defaultProjectId: current.projectId, defaultRegion: 'fr-par' }));
      const decrypted = await keys.decrypt({ keyId, ciphertext });
      assert.equal(Buffer.from(decrypted.plaintext, 'base64').toString(), 'sealed by a customer key');
      const verify = await fetch(`${current.url}/coffer/v1/audit/verify`, { headers: { 'x-auth-token': current.secretKey } });
      const report = (await verify.json()) as { ok: boolean };
      assert.equal(report.ok, true, JSON.stringify(report));
    };

    before(async () => {
      token = await createSoftHsmToken(`coffer-${engine}`);
      database = engine === 'postgres' ? await createTestDatabase() : undefined;
      dataDir = mkdtempSync(join(tmpdir(), 'coffer-hsm-move-'));
    });
    after(async () => {
      await server?.stop();
      await database?.drop();
      token.remove();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('starts on a file root key with secrets, a customer-managed key and a ciphertext', async () => {
      identity = await start({});
      const api = scalewayHttp(identity);
      const keys = new KeyManagerv1alpha1.API(createClient({ accessKey: identity.accessKey, secretKey: identity.secretKey, apiURL: identity.url, defaultProjectId: identity.projectId, defaultRegion: 'fr-par' }));
      const key = await keys.createKey({ name: 'move-me', unprotected: true });
      keyId = key.id;
      ciphertext = (await keys.encrypt({ keyId, plaintext: Buffer.from('sealed by a customer key').toString('base64') })).ciphertext;
      for (let secret = 0; secret < 4; secret += 1) {
        const id = await api.createSecret({ name: `move-${secret}`, ...(secret === 0 ? { key_id: keyId } : {}) });
        const value = `moving value ${secret}`;
        await api.addVersion(id, value);
        written.push({ id, value });
      }
      assert.ok(existsSync(join(dataDir, 'root.key')));
      await readEverything(identity);
      await stop();
    });

    it('refuses the HSM alone while the store is still held by the file key', async () => {
      renameSync(join(dataDir, 'root.key'), join(dataDir, 'root.key.aside'));
      try {
        await assert.rejects(start({ ...token.env }), /exited with 7[\s\S]*coffer: this store's root key is held by a root key file/);
      } finally {
        renameSync(join(dataDir, 'root.key.aside'), join(dataDir, 'root.key'));
      }
    });

    it('moves to the HSM at a start with both configured, online, and reads everything', async () => {
      const current = await start({ ...token.env });
      assert.match(current.output(), /Root key migration: re-wrapping \d+ values from the root key file .* to the HSM \(key "coffer-root-key" on token "coffer-/);
      await readEverything(current);
      await stop();
      rmSync(join(dataDir, 'root.key'));
      const hsmOnly = await start({ ...token.env });
      assert.doesNotMatch(hsmOnly.output(), /Root key migration/);
      await readEverything(hsmOnly);
      await stop();
    });

    it('moves back to a new file key with COFFER_ROOT_KEY_PRIMARY=file, then runs without the HSM', async () => {
      const back = await start({ ...token.env, COFFER_ROOT_KEY_PRIMARY: 'file' });
      assert.match(back.output(), /Root key migration: re-wrapping \d+ values from the HSM .* to the root key file/);
      assert.ok(existsSync(join(dataDir, 'root.key')), 'a new root.key is made for the move back');
      await readEverything(back);
      await stop();
      const fileOnly = await start({});
      await readEverything(fileOnly);
      const api = scalewayHttp(fileOnly);
      const id = await api.createSecret({ name: 'after-the-round-trip' });
      await api.addVersion(id, 'written after the round trip');
      assert.equal((await api.access(id)).data, 'written after the round trip');
      await stop();
    });
  });
}
