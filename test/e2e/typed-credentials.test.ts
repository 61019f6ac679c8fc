import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeTestCertificates, type TestCertificates } from '../helpers/certificates.js';
import { startServer, type TestServer } from '../helpers/server.js';

const SCW = '/secret-manager/v1beta1/regions/fr-par';
const b64 = (text: string) => Buffer.from(text).toString('base64');

/** Typed credentials through the Scaleway API: each type checks its payload, and certificates describe themselves. */
describe('typed credentials', () => {
  let server: TestServer;
  let certs: TestCertificates;

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'x-auth-token': server.secretKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json().catch(() => null)) as Record<string, unknown> | null };
  };
  let counter = 0;
  /** Creates a secret of `type` and tries to add `payload` as its first version. */
  const addVersion = async (type: string, payload: string) => {
    counter += 1;
    const created = await call('POST', `${SCW}/secrets`, { name: `typed-${type}-${counter}`, type, protected: false });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    const id = String(created.json?.id);
    return { id, answer: await call('POST', `${SCW}/secrets/${id}/versions`, { data: b64(payload) }) };
  };
  const refusal = (answer: { status: number; json: Record<string, unknown> | null }) => {
    assert.equal(answer.status, 400, JSON.stringify(answer.json));
    return JSON.stringify(answer.json);
  };

  before(async () => {
    certs = makeTestCertificates();
    server = await startServer();
  });
  after(async () => server.stop());

  it('accepts valid api_key, bearer_token and client_credentials payloads and lists the types', async () => {
    const valid: [string, unknown][] = [
      ['api_key', { header_name: 'X-API-Key', value: 'k-123' }],
      ['api_key', { value: 'k-456' }],
      ['bearer_token', { header_name: 'Authorization', header_value: 'Bearer abc' }],
      ['client_credentials', { client_id: 'app', client_secret: 's3cret', scopes: ['read', 'write'] }],
      ['client_credentials', { client_id: 'app', client_secret: 's3cret' }],
    ];
    for (const [type, payload] of valid) {
      const { answer } = await addVersion(type, JSON.stringify(payload));
      assert.equal(answer.status, 200, `${type}: ${JSON.stringify(answer.json)}`);
    }
    const listed = await call('GET', `${SCW}/secrets?type=client_credentials`);
    assert.ok((listed.json?.secrets as { type: string }[]).every((secret) => secret.type === 'client_credentials'));
  });

  it('refuses invalid payloads of each type, naming the field, and writes no version', async () => {
    const invalid: [string, string, RegExp][] = [
      ['api_key', JSON.stringify({ header_name: 'X-API-Key' }), /value is required/],
      ['api_key', JSON.stringify({ value: 'k', header_name: 'Bad Header:' }), /header_name/],
      ['api_key', 'not json', /Invalid JSON/],
      ['bearer_token', JSON.stringify({ header_name: 'Authorization' }), /header_value is required/],
      ['client_credentials', JSON.stringify({ client_id: 'app' }), /client_secret is required/],
      ['client_credentials', JSON.stringify({ client_id: 'app', client_secret: 's', scopes: 'read write' }), /scopes/],
      ['certificate', 'not a certificate', /PEM blocks only/],
      ['certificate', `${certs.certificate}${certs.otherKey}`, /private key does not match/],
      ['certificate', `${certs.expired}${certs.expiredKey}`, /expired on 2020-01-02/],
    ];
    for (const [type, payload, message] of invalid) {
      const { id, answer } = await addVersion(type, payload);
      assert.match(refusal(answer), message, type);
      const versions = await call('GET', `${SCW}/secrets/${id}/versions`);
      assert.equal(versions.json?.total_count, 0, 'nothing was written');
    }
  });

  it('accepts a certificate chain with its key and shows what it is without its payload', async () => {
    const { id, answer } = await addVersion('certificate', `${certs.certificate}${certs.key}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
    const details = await call('GET', `/coffer/v1/regions/fr-par/secrets/${id}/versions/latest/certificate`);
    assert.equal(details.status, 200, JSON.stringify(details.json));
    assert.match(String(details.json?.subject), /CN=api\.example/);
    assert.deepEqual(details.json?.subject_alt_names, ['DNS:api.example', 'DNS:www.api.example']);
    assert.match(String(details.json?.fingerprint_sha256), /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    assert.equal(details.json?.has_private_key, true);
    assert.equal(details.json?.expired, false);
    const daysLeft = (Date.parse(String(details.json?.not_after)) - Date.now()) / 86_400_000;
    assert.ok(daysLeft > 29 && daysLeft <= 30, `not_after is the certificate's (${daysLeft} days)`);
    assert.ok(!JSON.stringify(details.json).includes('PRIVATE KEY') && !JSON.stringify(details.json).includes('BEGIN'), 'no PEM leaves');

    const notCertificate = await addVersion('api_key', JSON.stringify({ value: 'x' }));
    const wrongType = await call('GET', `/coffer/v1/regions/fr-par/secrets/${notCertificate.id}/versions/1/certificate`);
    assert.equal(wrongType.status, 412);
  });
});
