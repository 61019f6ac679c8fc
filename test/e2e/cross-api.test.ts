import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createClient } from '@scaleway/sdk-client';
import { Secretv1beta1 } from '@scaleway/sdk-secret';
import { scalewayHttp } from '../helpers/scaleway-http.js';
import { ENGINES, startServerOn, type TestServer } from '../helpers/server.js';

interface Answer {
  status: number;
  json: Record<string, unknown> | null;
}

/** One store, three wire APIs: what one writes, the others read, and what one disables, the others refuse. */
for (const engine of ENGINES) {
  describe(`Scaleway, Vault KV v2 and OVHcloud over one store on ${engine}`, () => {
    let server: TestServer;
    let stop: () => Promise<void>;
    let scaleway: Secretv1beta1.API;
    let okmsId: string;

    const call = async (method: string, path: string, body?: unknown): Promise<Answer> => {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { 'x-vault-token': server.secretKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
    };
    const vaultData = (answer: Answer) => (answer.json?.data ?? null) as { data: unknown; metadata: Record<string, unknown> } | null;
    const ovhVersion = (answer: Answer) => (answer.json?.version ?? null) as { id: number; state: string; data?: unknown } | null;

    before(async () => {
      ({ server, stop } = await startServerOn(engine));
      scaleway = new Secretv1beta1.API(
        createClient({ accessKey: server.accessKey, secretKey: server.secretKey, apiURL: server.url, defaultProjectId: server.projectId, defaultRegion: 'fr-par' }),
      );
      const domain = await call('POST', '/coffer/v1/domains', { region: 'fr-par' });
      assert.equal(domain.status, 200, JSON.stringify(domain.json));
      okmsId = String(domain.json?.id);
    });
    after(async () => stop());

    it('reads a key_value secret created through the Scaleway SDK through Vault and OVHcloud', async () => {
      const name = `db-${randomUUID().slice(0, 8)}`;
      const secret = await scaleway.createSecret({ name, path: '/apps/shop', type: 'key_value', protected: false });
      const data = { username: 'shop', password: 'correct horse', port: 5432 };
      await scaleway.createSecretVersion({ secretId: secret.id, data: Buffer.from(JSON.stringify(data)).toString('base64') });

      const vault = await call('GET', `/v1/secret/data/apps/shop/${name}`);
      assert.equal(vault.status, 200);
      assert.deepEqual(vaultData(vault)?.data, data);
      assert.equal(vaultData(vault)?.metadata.version, 1);

      const ovh = await call('GET', `/api/${okmsId}/v2/secret/apps/shop/${name}?includeData=true`);
      assert.equal(ovh.status, 200, JSON.stringify(ovh.json));
      assert.deepEqual(ovhVersion(ovh)?.data, data);
      assert.equal(ovhVersion(ovh)?.state, 'active');

      const viaOvhVault = await call('GET', `/api/${okmsId}/v1/secret/data/apps/shop/${name}`);
      assert.deepEqual(vaultData(viaOvhVault)?.data, data);
    });

    it('lists and accesses through Scaleway what Vault wrote with check-and-set', async () => {
      const name = `cas-${randomUUID().slice(0, 8)}`;
      assert.equal((await call('POST', `/v1/secret/data/team/${name}`, { data: { token: 'one' }, options: { cas: 0 } })).status, 200);
      const second = await call('POST', `/v1/secret/data/team/${name}`, { data: { token: 'two', nested: { ok: true } }, options: { cas: 1 } });
      assert.equal(second.status, 200);
      const stale = await call('POST', `/v1/secret/data/team/${name}`, { data: { token: 'three' }, options: { cas: 1 } });
      assert.equal(stale.status, 400);

      const listed = await scaleway.listSecrets({ name, path: '/team', scheduledForDeletion: false });
      assert.equal(listed.totalCount, 1);
      const [secret] = listed.secrets;
      assert.equal(secret?.type, 'key_value');
      assert.equal(secret?.versionCount, 2);
      const latest = await scaleway.accessSecretVersion({ secretId: secret?.id ?? '', revision: 'latest' });
      assert.equal(latest.revision, 2);
      assert.deepEqual(JSON.parse(Buffer.from(latest.data, 'base64').toString('utf8')), { token: 'two', nested: { ok: true } });
      const first = await scaleway.accessSecretVersion({ secretId: secret?.id ?? '', revision: '1' });
      assert.deepEqual(JSON.parse(Buffer.from(first.data, 'base64').toString('utf8')), { token: 'one' });
    });

    it('refuses everywhere a version disabled, soft-deleted or destroyed through any one API', async () => {
      const name = `life-${randomUUID().slice(0, 8)}`;
      for (const value of ['a', 'b', 'c']) {
        assert.equal((await call('POST', `/v1/secret/data/${name}`, { data: { value } })).status, 200);
      }
      const http = scalewayHttp(server);
      const [secret] = (await scaleway.listSecrets({ name, scheduledForDeletion: false })).secrets;
      const id = secret?.id ?? '';

      // Scaleway disables version 1: Vault answers 404 with its metadata, OVHcloud shows it deactivated.
      await scaleway.disableSecretVersion({ secretId: id, revision: '1' });
      const vaultRead = await call('GET', `/v1/secret/data/${name}?version=1`);
      assert.equal(vaultRead.status, 404);
      assert.equal(vaultData(vaultRead)?.data, null);
      assert.notEqual(vaultData(vaultRead)?.metadata.deletion_time, '');
      assert.equal(vaultData(vaultRead)?.metadata.destroyed, false);
      assert.equal(ovhVersion(await call('GET', `/api/${okmsId}/v2/secret/${name}?version=1`))?.state, 'deactivated');

      // Vault soft-deletes version 2: Scaleway refuses access and reports it disabled.
      assert.equal((await call('POST', `/v1/secret/delete/${name}`, { versions: [2] })).status, 204);
      const refused = await http.access(id, 2);
      assert.equal(refused.status, 412, refused.text);
      assert.equal((await scaleway.getSecretVersion({ secretId: id, revision: '2' })).status, 'disabled');

      // OVHcloud deletes (destroys) version 3: Vault reports it destroyed, Scaleway has no data.
      const destroyed = await call('PUT', `/api/${okmsId}/v2/secret/${name}/version/3`, { state: 'deleted' });
      assert.equal(destroyed.status, 200, JSON.stringify(destroyed.json));
      const vaultDestroyed = await call('GET', `/v1/secret/data/${name}?version=3`);
      assert.equal(vaultDestroyed.status, 404);
      assert.equal(vaultData(vaultDestroyed)?.metadata.destroyed, true);
      assert.equal((await http.access(id, 3)).status, 412);
      assert.equal((await scaleway.getSecretVersion({ secretId: id, revision: '3' })).status, 'deleted');

      // Undelete through Vault brings version 2 back for Scaleway too.
      assert.equal((await call('POST', `/v1/secret/undelete/${name}`, { versions: [2, 3] })).status, 204);
      const back = await http.access(id, 2);
      assert.equal(back.status, 200);
      assert.deepEqual(JSON.parse(back.data ?? ''), { value: 'b' });
      assert.equal((await call('GET', `/v1/secret/data/${name}?version=3`)).status, 404);
    });

    it('reads an opaque, non-JSON secret through Vault as {"value": text}', async () => {
      const name = `opaque-${randomUUID().slice(0, 8)}`;
      const secret = await scaleway.createSecret({ name, protected: false });
      await scaleway.createSecretVersion({ secretId: secret.id, data: Buffer.from('plain text value').toString('base64') });
      const read = await call('GET', `/v1/secret/data/${name}`);
      assert.equal(read.status, 200);
      assert.deepEqual(vaultData(read)?.data, { value: 'plain text value' });
    });

    it('deletes a key for every API when Vault deletes its metadata, and starts again at version 1', async () => {
      const name = `gone-${randomUUID().slice(0, 8)}`;
      await call('POST', `/v1/secret/data/${name}`, { data: { v: 1 } });
      await call('POST', `/v1/secret/data/${name}`, { data: { v: 2 } });
      const [before] = (await scaleway.listSecrets({ name, scheduledForDeletion: false })).secrets;
      assert.equal((await call('DELETE', `/v1/secret/metadata/${name}`)).status, 204);
      assert.equal((await scaleway.listSecrets({ name, scheduledForDeletion: false })).totalCount, 0);
      assert.ok((await scaleway.getSecret({ secretId: before?.id ?? '' })).deletionRequestedAt instanceof Date, 'scheduled for deletion, restorable');
      assert.equal((await call('GET', `/api/${okmsId}/v2/secret/${name}`)).status, 404);
      const again = await call('POST', `/v1/secret/data/${name}`, { data: { v: 3 } });
      assert.equal(vaultData(again) && (again.json?.data as { version: number }).version, 1);
      const [fresh] = (await scaleway.listSecrets({ name, scheduledForDeletion: false })).secrets;
      assert.notEqual(fresh?.id, before?.id);
    });
  });
}
