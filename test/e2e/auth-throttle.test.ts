import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createClient, Errors } from '@scaleway/sdk-client';
import { Secretv1beta1 } from '@scaleway/sdk-secret';
import { startServer, type TestServer } from '../helpers/server.js';

/** Repeated failed authentications from one address get 429 with Retry-After, in every API's shape. */
describe('throttling of failed authentications', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ env: { COFFER_AUTH_FAILURES_PER_MINUTE: '5' } });
  });
  after(async () => server.stop());

  it('refuses an address after 5 failures, even with a valid key, and says when to retry', async () => {
    const scaleway = `${server.url}/secret-manager/v1beta1/regions/fr-par/secrets`;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const failed = await fetch(scaleway, { headers: { 'x-auth-token': randomUUID() } });
      assert.equal(failed.status, 401);
    }
    const throttled = await fetch(scaleway, { headers: { 'x-auth-token': server.secretKey } });
    assert.equal(throttled.status, 429);
    const retryAfter = Number(throttled.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${String(retryAfter)}`);
    const body = (await throttled.json()) as Record<string, unknown>;
    assert.equal(body.type, 'too_many_requests');

    const api = new Secretv1beta1.API(createClient({ accessKey: server.accessKey, secretKey: server.secretKey, apiURL: server.url, defaultRegion: 'fr-par', defaultProjectId: server.projectId }));
    const error = await api.listSecrets({ scheduledForDeletion: false }).catch((caught: unknown) => caught);
    assert.ok(error instanceof Errors.TooManyRequestsError, String(error));

    const vault = await fetch(`${server.url}/v1/secret/data/x`, { headers: { 'x-vault-token': server.secretKey } });
    assert.equal(vault.status, 429);
    assert.deepEqual(await vault.json(), { errors: ['rate limit quota exceeded'] });
    assert.ok(vault.headers.get('retry-after'));
  });
});

describe('per-key request rate limits', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ env: { COFFER_KEY_REQUESTS_PER_SECOND: '5' } });
  });
  after(async () => server.stop());

  it('refuses a key over its budget with 429 and Retry-After, and lets it go on later', async () => {
    const list = `${server.url}/secret-manager/v1beta1/regions/fr-par/secrets`;
    // Sent at once, so that the budget cannot refill in between on a slow machine.
    const answers = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const response = await fetch(list, { headers: { 'x-auth-token': server.secretKey } });
        await response.arrayBuffer();
        return { status: response.status, retryAfter: response.headers.get('retry-after') };
      }),
    );
    const allowed = answers.filter((answer) => answer.status === 200).length;
    const refused = answers.filter((answer) => answer.status === 429);
    assert.ok(allowed >= 10 && allowed < 30, `a burst of 10 is allowed, not 30: ${allowed}`);
    assert.equal(allowed + refused.length, 30);
    assert.ok(refused.every((answer) => Number(answer.retryAfter) >= 1));
    await new Promise((resolve) => setTimeout(resolve, 1200));
    assert.equal((await fetch(list, { headers: { 'x-auth-token': server.secretKey } })).status, 200);
  });
});
