import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { makeTestCertificates, type TestCertificates } from '../helpers/certificates.js';
import { advanceClock, handledBy, runScheduler, TEST_CLOCK_ENV } from '../helpers/scheduler.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { b64 } from '../helpers/wire.js';

const SCW = '/secret-manager/v1beta1/regions/fr-par';
const COFFER = '/coffer/v1/regions/fr-par/secrets';
const DAY = 86_400;

type FeedEvent = { type: string; secret_id: string; details: Record<string, unknown> };

/** Expiry on the test clock: certificates' notAfter, deactivate_version_after, notices, and restore, through every API. */
describe('expiry and restore through every API', () => {
  let server: TestServer;
  let okms = '';
  let certificates: TestCertificates;

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'x-auth-token': server.secretKey, 'x-vault-token': server.secretKey, authorization: `Bearer ${server.secretKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, text, json: (text ? JSON.parse(text) : null) as Record<string, unknown> | null };
  };
  const reads = async (id: string, key: string, revision = 'latest') => ({
    scaleway: await call('GET', `${SCW}/secrets/${id}/versions/${revision}/access`),
    vault: await call('GET', `/v1/secret/data/${key}`),
    ovh: await call('GET', `/api/${okms}/v2/secret/${key}?includeData=true`),
  });
  const idOf = async (name: string) => ((await call('GET', `${SCW}/secrets?name=${name}`)).json as { secrets: { id: string }[] }).secrets[0]?.id ?? '';
  const serverNow = async () => Date.parse(String((await call('POST', '/coffer/v1/test/clock', { advance_seconds: 0 })).json?.now));
  const eventsOf = async (secretId: string, types: string[]): Promise<FeedEvent[]> => {
    const feed = await call('GET', `/coffer/v1/regions/fr-par/events?since=0&page_size=500&type=${types.join(',')}`);
    assert.equal(feed.status, 200, feed.text);
    return (feed.json?.events as FeedEvent[]).filter((event) => event.secret_id === secretId);
  };

  before(async () => {
    certificates = makeTestCertificates();
    server = await startServer({ env: TEST_CLOCK_ENV });
    okms = String((await call('POST', '/coffer/v1/domains', { region: 'fr-par' })).json?.id);
  });
  after(async () => server.stop());

  it('takes a certificate secret\'s expiration from its leaf\'s notAfter, and every API refuses it once passed', async () => {
    const created = await call('POST', `${SCW}/secrets`, { name: 'tls', project_id: server.projectId, type: 'certificate' });
    const id = String(created.json?.id);
    assert.equal((await call('GET', `${COFFER}/${id}/lifecycle`)).json?.expires_at, null);
    const added = await call('POST', `${SCW}/secrets/${id}/versions`, { data: b64(`${certificates.certificate}${certificates.key}`) });
    assert.equal(added.status, 200, added.text);
    const notAfter = Date.parse(new X509Certificate(certificates.certificate).validTo);
    assert.equal(Date.parse(String((await call('GET', `${COFFER}/${id}/lifecycle`)).json?.expires_at)), notAfter);
    assert.equal((await reads(id, 'tls')).scaleway.status, 200);

    await advanceClock(server, 31 * DAY);
    const refused = await reads(id, 'tls');
    assert.equal(refused.scaleway.status, 412, refused.scaleway.text);
    assert.equal(refused.scaleway.json?.precondition, 'secret_expired');
    assert.equal(refused.vault.status, 400, refused.vault.text);
    assert.match(refused.vault.text, /"errors":\[".*expired/);
    assert.equal(refused.ovh.status, 400, refused.ovh.text);
    assert.match(refused.ovh.text, /expired/);
    for (const answer of Object.values(refused)) {
      assert.doesNotMatch(answer.text, /BEGIN/);
    }
    await runScheduler(server);
    await runScheduler(server);
    assert.deepEqual((await eventsOf(id, ['secret.expired'])).map((event) => event.type), ['secret.expired']);
  });

  it('publishes secret.expiring 30, 7 and 1 days ahead and secret.expired when it passes, each once', async () => {
    const id = String((await call('POST', `${SCW}/secrets`, { name: 'noticed', project_id: server.projectId })).json?.id);
    const expiresAt = new Date((await serverNow()) + 40 * DAY * 1000).toISOString();
    assert.equal((await call('PUT', `${COFFER}/${id}/expiration`, { expires_at: expiresAt })).status, 200);
    const notices = async () =>
      (await eventsOf(id, ['secret.expiring', 'secret.expired'])).map((event) => `${event.type}${event.details.days_before === undefined ? '' : `:${String(event.details.days_before)}`}`);
    await runScheduler(server);
    assert.deepEqual(await notices(), []);
    for (const [step, expected] of [
      [11 * DAY, ['secret.expiring:30']],
      [23 * DAY, ['secret.expiring:30', 'secret.expiring:7']],
      [5.5 * DAY, ['secret.expiring:30', 'secret.expiring:7', 'secret.expiring:1']],
      [DAY, ['secret.expiring:30', 'secret.expiring:7', 'secret.expiring:1', 'secret.expired']],
    ] as const) {
      await advanceClock(server, step);
      const pass = await runScheduler(server);
      assert.ok(handledBy(pass, 'secrets.expiry_notices') >= 1);
      await runScheduler(server);
      assert.deepEqual(await notices(), expected);
    }
    // A new expiration gets its own notices, from the nearest point only.
    const again = new Date((await serverNow()) + 2 * DAY * 1000).toISOString();
    assert.equal((await call('PUT', `${COFFER}/${id}/expiration`, { expires_at: again })).status, 200);
    await runScheduler(server);
    const latest = (await eventsOf(id, ['secret.expiring'])).at(-1);
    assert.equal(latest?.details.days_before, 7);
    assert.equal(latest?.details.expires_at, again.replace(/\.(\d{3})Z$/, '.$1000Z'));
  });

  it('sends no notice more than 30 days late (a scheduler stopped for a month)', async () => {
    const id = String((await call('POST', `${SCW}/secrets`, { name: 'forgotten', project_id: server.projectId })).json?.id);
    assert.equal((await call('POST', `${SCW}/secrets/${id}/versions`, { data: b64('old') })).status, 200);
    const expiresAt = new Date((await serverNow()) + DAY * 1000).toISOString();
    assert.equal((await call('PUT', `${COFFER}/${id}/expiration`, { expires_at: expiresAt })).status, 200);
    await advanceClock(server, 45 * DAY);
    await runScheduler(server);
    assert.deepEqual(await eventsOf(id, ['secret.expiring', 'secret.expired']), []);
    // The expiration itself holds at read time all the same.
    const read = await call('GET', `${SCW}/secrets/${id}/versions/latest/access`);
    assert.equal(read.status, 412);
    assert.equal(read.json?.precondition, 'secret_expired');
  });

  it('deactivates versions older than deactivate_version_after, at read time and by the scheduler, through every API', async () => {
    assert.equal((await call('POST', '/v1/secret/data/aging', { data: { k: 'v1' } })).status, 200);
    const id = await idOf('aging');
    for (const bad of ['soon', '-1h', true]) {
      assert.equal((await call('PUT', `${COFFER}/${id}/deactivate-version-after`, { deactivate_version_after: bad })).status, 400, String(bad));
    }
    const set = await call('PUT', `${COFFER}/${id}/deactivate-version-after`, { deactivate_version_after: '1h' });
    assert.equal(set.status, 200, set.text);
    assert.deepEqual([set.json?.deactivate_version_after, set.json?.deactivate_version_after_seconds], ['1h0m0s', 3600]);
    const metadata = await call('GET', `/api/${okms}/v2/secret/aging`);
    assert.equal((metadata.json?.metadata as Record<string, unknown>).deactivateVersionAfter, '1h0m0s', metadata.text);
    // Versions made from now on follow the rule, whichever API writes them.
    assert.equal((await call('POST', `${SCW}/secrets/${id}/versions`, { data: b64('{"k":"v2"}') })).status, 200);
    assert.equal((await call('POST', '/v1/secret/data/aging', { data: { k: 'v3' } })).status, 200);
    assert.deepEqual(Object.values(await reads(id, 'aging')).map((answer) => answer.status), [200, 200, 200]);

    await advanceClock(server, 3601);
    const refused = await reads(id, 'aging');
    assert.equal(refused.scaleway.status, 412, refused.scaleway.text);
    assert.equal(refused.scaleway.json?.precondition, 'secret_version_expired');
    // Vault answers a version past its deletion_time as soft-deleted: 404, no data, the time in metadata.
    assert.equal(refused.vault.status, 404, refused.vault.text);
    const vaultData = refused.vault.json?.data as { data: unknown; metadata: { deletion_time: string; version: number } };
    assert.equal(vaultData.data, null);
    assert.equal(vaultData.metadata.version, 3);
    assert.notEqual(vaultData.metadata.deletion_time, '');
    // OVHcloud shows the version deactivated, with no data.
    assert.equal(refused.ovh.status, 200, refused.ovh.text);
    assert.equal((refused.ovh.json?.version as Record<string, unknown>).state, 'deactivated');
    assert.equal((refused.ovh.json?.version as Record<string, unknown>).data, undefined);
    assert.doesNotMatch(refused.ovh.text, /v3/);
    assert.equal((await call('GET', `${SCW}/secrets/${id}/versions/2/access`)).status, 412);
    // Version 1 predates the rule, as in Vault and OVHcloud.
    assert.equal((await call('GET', `${SCW}/secrets/${id}/versions/1/access`)).status, 200);

    await runScheduler(server);
    const versions = (await call('GET', `${SCW}/secrets/${id}/versions`)).json as { versions: { revision: number; status: string }[] };
    assert.deepEqual(
      versions.versions.map((version) => [version.revision, version.status]).sort(),
      [
        [1, 'enabled'],
        [2, 'disabled'],
        [3, 'disabled'],
      ],
    );
    // Enabling a version again re-arms its deactivation, as Vault's undelete does.
    assert.equal((await call('POST', `${SCW}/secrets/${id}/versions/2/enable`)).status, 200);
    assert.equal((await call('GET', `${SCW}/secrets/${id}/versions/2/access`)).status, 200);
    await advanceClock(server, 3601);
    assert.equal((await call('GET', `${SCW}/secrets/${id}/versions/2/access`)).status, 412);
    const ovhVersions = await call('GET', `/api/${okms}/v2/secret/aging/version`);
    assert.match(ovhVersions.text, /"id":3,"state":"deactivated"|"state":"deactivated"[^}]*"id":3/);
  });

  it('restores a secret scheduled for deletion through Scaleway, Vault and OVHcloud alike', async () => {
    assert.equal((await call('POST', '/v1/secret/data/comeback', { data: { k: 'back' } })).status, 200);
    const id = await idOf('comeback');
    assert.equal((await call('POST', `${COFFER}/${id}/schedule-deletion`, { window_days: 10 })).status, 200);
    const gone = await reads(id, 'comeback');
    assert.equal(gone.scaleway.status, 412);
    // Vault and OVHcloud no longer see a key scheduled for deletion, each in its own shape.
    assert.equal(gone.vault.status, 404);
    assert.deepEqual(gone.vault.json?.errors, []);
    assert.equal(gone.ovh.status, 404);
    assert.match(String((gone.ovh.json?.errors as string[])[0]), /not found/);
    await advanceClock(server, 9 * DAY);
    assert.equal((await call('POST', `${SCW}/secrets/${id}/restore`)).status, 200);
    const back = await reads(id, 'comeback');
    assert.deepEqual(Object.values(back).map((answer) => answer.status), [200, 200, 200]);
    assert.match(back.vault.text, /"k":"back"/);
    assert.match(back.ovh.text, /back/);
  });
});
