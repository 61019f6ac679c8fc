import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createClient, Errors } from '@scaleway/sdk-client';
import { KeyManagerv1alpha1 } from '@scaleway/sdk-key-manager';
import { Secretv1beta1 } from '@scaleway/sdk-secret';
import { makeTestCertificates } from '../helpers/certificates.js';
import { ENGINES, startServerOn, type TestServer } from '../helpers/server.js';
import { b64, eventually, unb64 } from '../helpers/wire.js';

interface Answer {
  status: number;
  json: Record<string, unknown> | null;
  headers: Headers;
}

/** Secrets that chose a customer-managed key with `key_id`, through the Scaleway, Vault and OVHcloud APIs. */
for (const engine of ENGINES) {
  describe(`secrets under customer-managed keys on ${engine}`, () => {
    let server: TestServer;
    let stop: () => Promise<void>;
    let secrets: Secretv1beta1.API;
    let keys: KeyManagerv1alpha1.API;
    let okmsId: string;

    const call = async (method: string, path: string, body?: unknown): Promise<Answer> => {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { 'x-auth-token': server.secretKey, 'x-vault-token': server.secretKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : null, headers: response.headers };
    };

    const keyValueSecret = async (keyId: string, data: Record<string, unknown>) => {
      const name = `db-${randomUUID().slice(0, 8)}`;
      const secret = await secrets.createSecret({ name, path: '/kms', type: 'key_value', protected: false, keyId });
      await secrets.createSecretVersion({ secretId: secret.id, data: b64(JSON.stringify(data)) });
      return { secret, name };
    };

    before(async () => {
      ({ server, stop } = await startServerOn(engine));
      const client = createClient({ accessKey: server.accessKey, secretKey: server.secretKey, apiURL: server.url, defaultProjectId: server.projectId, defaultRegion: 'fr-par' });
      secrets = new Secretv1beta1.API(client);
      keys = new KeyManagerv1alpha1.API(client);
      const before = await call('GET', '/coffer/v1/keys');
      assert.deepEqual(before.json?.scopes, []);
      const domain = await call('POST', '/coffer/v1/domains', { region: 'fr-par' });
      assert.equal(domain.status, 200, JSON.stringify(domain.json));
      okmsId = String(domain.json?.id);
      // The OKMS domain's default key exists as soon as its region is activated.
      assert.deepEqual((await call('GET', '/coffer/v1/keys')).json?.scopes, [{ project_id: server.projectId, region: 'fr-par' }]);
    });
    after(async () => stop());

    it('reads back a secret under its key; a disabled key makes every API refuse the data, naming the key, until it is enabled', async () => {
      const key = await keys.createKey({ name: 'payments', unprotected: true });
      const { secret, name } = await keyValueSecret(key.id, { password: 'hunter2' });
      assert.equal(secret.keyId, key.id);
      assert.equal(unb64((await secrets.accessSecretVersion({ secretId: secret.id, revision: 'latest' })).data), '{"password":"hunter2"}');

      await keys.disableKey({ keyId: key.id });
      const refused = await secrets.accessSecretVersion({ secretId: secret.id, revision: 'latest' }).then(
        () => assert.fail('the read succeeded under a disabled key'),
        (error: unknown) => error,
      );
      assert.ok(refused instanceof Errors.PreconditionFailedError, String(refused));
      assert.equal(refused.precondition, 'key_disabled');
      assert.match(refused.helpMessage, new RegExp(`"payments" \\(${key.id}\\) is disabled`));

      const vault = await call('GET', `/v1/secret/data/kms/${name}`);
      assert.equal(vault.status, 400, JSON.stringify(vault.json));
      assert.match(String((vault.json?.errors as string[])[0]), new RegExp(`${key.id}.*disabled`));
      const ovh = await call('GET', `/api/${okmsId}/v2/secret/kms/${name}?includeData=true`);
      assert.equal(ovh.status, 400, JSON.stringify(ovh.json));
      assert.match(String((ovh.json?.errors as string[])[0]), new RegExp(`${key.id}.*disabled`));
      // Metadata stays readable: only the data needs the key.
      assert.equal((await secrets.getSecret({ secretId: secret.id })).keyId, key.id);
      // Writing under a disabled key is refused too, through Vault as through Scaleway.
      assert.equal((await call('POST', `/v1/secret/data/kms/${name}`, { data: { password: 'new' } })).status, 400);

      await keys.enableKey({ keyId: key.id });
      assert.equal(unb64((await secrets.accessSecretVersion({ secretId: secret.id, revision: 'latest' })).data), '{"password":"hunter2"}');
      const written = await call('POST', `/v1/secret/data/kms/${name}`, { data: { password: 'through vault' } });
      assert.equal(written.status, 200, JSON.stringify(written.json));
      // The Vault-written version is under the key as well: disabling the key hides it.
      await keys.disableKey({ keyId: key.id });
      assert.equal((await call('GET', `/v1/secret/data/kms/${name}`)).status, 400);
      await keys.enableKey({ keyId: key.id });
      const reread = await call('GET', `/v1/secret/data/kms/${name}`);
      assert.deepEqual((reread.json?.data as { data: unknown }).data, { password: 'through vault' });
    });

    it("describes a certificate under a key, and refuses to while the key is disabled", async () => {
      const certs = makeTestCertificates();
      const key = await keys.createKey({ unprotected: true });
      const secret = await secrets.createSecret({ name: `cert-${randomUUID().slice(0, 8)}`, type: 'certificate', protected: false, keyId: key.id });
      await secrets.createSecretVersion({ secretId: secret.id, data: b64(`${certs.certificate}${certs.key}`) });
      const details = await call('GET', `/coffer/v1/regions/fr-par/secrets/${secret.id}/versions/latest/certificate`);
      assert.equal(details.status, 200, JSON.stringify(details.json));
      assert.match(String(details.json?.subject), /CN=api\.example/);
      await keys.disableKey({ keyId: key.id });
      const refused = await call('GET', `/coffer/v1/regions/fr-par/secrets/${secret.id}/versions/latest/certificate`);
      assert.equal(refused.status, 412, JSON.stringify(refused.json));
      assert.equal(refused.json?.precondition, 'key_disabled');
    });

    it('refuses key_id values that cannot protect a secret', async () => {
      const unknown = await call('POST', '/secret-manager/v1beta1/regions/fr-par/secrets', { name: 'x', project_id: server.projectId, key_id: randomUUID() });
      assert.equal(unknown.status, 400, JSON.stringify(unknown.json));
      const disabled = await keys.createKey({ unprotected: true });
      await keys.disableKey({ keyId: disabled.id });
      const refused = await call('POST', '/secret-manager/v1beta1/regions/fr-par/secrets', { name: 'y', project_id: server.projectId, key_id: disabled.id });
      assert.equal(refused.status, 412, JSON.stringify(refused.json));
      assert.equal(refused.json?.precondition, 'key_disabled');
      assert.equal((await call('POST', '/secret-manager/v1beta1/regions/fr-par/secrets', { name: 'z', project_id: server.projectId, key_id: 'not-a-uuid' })).status, 400);
    });

    it('rotation re-wraps the data keys in the background, progress visible, losing nothing', async () => {
      const key = await keys.createKey({ unprotected: true });
      const stored: { id: string; values: string[] }[] = [];
      for (let index = 0; index < 5; index += 1) {
        const secret = await secrets.createSecret({ name: `rot-${randomUUID().slice(0, 8)}`, protected: false, keyId: key.id });
        const values = [`v1-${index}`, `v2-${index}`, `v3-${index}`];
        for (const value of values) {
          await secrets.createSecretVersion({ secretId: secret.id, data: b64(value) });
        }
        stored.push({ id: secret.id, values });
      }
      const before = await call('GET', `/key-manager/v1alpha1/regions/fr-par/keys/${key.id}/rewrap`);
      assert.deepEqual(before.json, { key_id: key.id, current_version: 1, data_keys_total: 15, data_keys_rewrapped: 15, complete: true });
      await keys.rotateKey({ keyId: key.id });
      const done = await eventually(async () => (await call('GET', `/key-manager/v1alpha1/regions/fr-par/keys/${key.id}/rewrap`)).json?.complete === true, 10_000);
      assert.ok(done, 'the re-wrap did not finish within 10 s');
      const after = await call('GET', `/key-manager/v1alpha1/regions/fr-par/keys/${key.id}/rewrap`);
      assert.deepEqual(after.json, { key_id: key.id, current_version: 2, data_keys_total: 15, data_keys_rewrapped: 15, complete: true });
      for (const { id, values } of stored) {
        for (const [index, value] of values.entries()) {
          assert.equal(unb64((await secrets.accessSecretVersion({ secretId: id, revision: String(index + 1) })).data), value);
        }
      }
    });

    it('refuses to delete a key that protects secrets unless forced, then warns listings and refuses reads until restored', async () => {
      const key = await keys.createKey({ name: 'doomed', unprotected: true });
      const { secret } = await keyValueSecret(key.id, { token: 't' });
      await secrets.createSecret({ name: `second-${randomUUID().slice(0, 8)}`, protected: false, keyId: key.id });
      const refused = await call('DELETE', `/key-manager/v1alpha1/regions/fr-par/keys/${key.id}`);
      assert.equal(refused.status, 412, JSON.stringify(refused.json));
      assert.equal(refused.json?.precondition, 'key_in_use');
      assert.match(String(refused.json?.help_message), /protects 2 secrets/);
      assert.equal((await keys.getKey({ keyId: key.id })).state, 'enabled');

      assert.equal((await call('DELETE', `/key-manager/v1alpha1/regions/fr-par/keys/${key.id}?force=true`)).status, 204);
      const read = await call('GET', `/secret-manager/v1beta1/regions/fr-par/secrets/${secret.id}/versions/latest/access`);
      assert.equal(read.status, 412);
      assert.equal(read.json?.precondition, 'key_scheduled_for_deletion');
      assert.match(String(read.json?.help_message), new RegExp(key.id));

      const listing = await call('GET', `/secret-manager/v1beta1/regions/fr-par/secrets?project_id=${server.projectId}&name=${secret.name}`);
      assert.match(listing.headers.get('warning') ?? '', new RegExp(`${key.id}.*scheduled for deletion`));
      const vaultList = await call('GET', '/v1/secret/metadata/kms?list=true');
      assert.match(vaultList.headers.get('warning') ?? '', new RegExp(key.id));
      const ovhList = await call('GET', `/api/${okmsId}/v2/secret`);
      assert.match(ovhList.headers.get('warning') ?? '', new RegExp(key.id));

      await keys.restoreKey({ keyId: key.id });
      assert.equal(unb64((await secrets.accessSecretVersion({ secretId: secret.id, revision: 'latest' })).data), '{"token":"t"}');
      const calm = await call('GET', `/secret-manager/v1beta1/regions/fr-par/secrets?project_id=${server.projectId}&name=${secret.name}`);
      assert.equal(calm.headers.get('warning'), null);
    });
  });
}
