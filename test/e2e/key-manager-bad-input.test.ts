import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { assertInvalidArgument, assertScalewayError, b64, rawFetch, type WireResponse } from '../helpers/wire.js';

/** Every malformed or mismatched Key Manager call gets Scaleway's 4xx envelope, never a 5xx. */
describe('Key Manager bad input', () => {
  let server: TestServer;
  const KMS = '/key-manager/v1alpha1/regions/fr-par';
  const send = (method: string, path: string, body?: unknown): Promise<WireResponse> =>
    rawFetch(`${server.url}${KMS}${path}`, {
      method,
      headers: { 'x-auth-token': server.secretKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const createKey = async (extra: Record<string, unknown> = {}): Promise<string> => {
    const response = await send('POST', '/keys', { project_id: server.projectId, unprotected: true, ...extra });
    assert.equal(response.status, 200, response.text);
    return String((response.json as Record<string, unknown>).id);
  };
  const encrypt = async (keyId: string, plaintext: Buffer): Promise<Buffer> => {
    const response = await send('POST', `/keys/${keyId}/encrypt`, { plaintext: b64(plaintext) });
    assert.equal(response.status, 200, response.text);
    return Buffer.from(String((response.json as Record<string, unknown>).ciphertext), 'base64');
  };

  before(async () => {
    server = await startServer();
  });
  after(async () => server.stop());

  it('answers 404 for unknown key ids and 400 for ids that are not UUIDs, on every route', async () => {
    const unknown = randomUUID();
    for (const [method, path, payload] of [
      ['GET', `/keys/${unknown}`, undefined],
      ['PATCH', `/keys/${unknown}`, { name: 'x' }],
      ['DELETE', `/keys/${unknown}`, undefined],
      ['POST', `/keys/${unknown}/rotate`, {}],
      ['POST', `/keys/${unknown}/encrypt`, { plaintext: b64('x') }],
      ['POST', `/keys/${unknown}/decrypt`, { ciphertext: b64('x') }],
      ['POST', `/keys/${unknown}/generate-data-key`, {}],
      ['GET', `/keys/${unknown}/rewrap`, undefined],
    ] as const) {
      const answer = assertScalewayError(await send(method, path, payload), 404, 'not_found');
      assert.equal(answer.resource, 'key');
    }
    assertInvalidArgument(await send('GET', '/keys/not-a-uuid'), 'key_id');
    assertInvalidArgument(await send('POST', '/keys/not-a-uuid/encrypt', { plaintext: b64('x') }), 'key_id');
  });

  it('refuses a ciphertext made by another key, a tampered one, and one that is not ours at all', async () => {
    const first = await createKey();
    const second = await createKey();
    const ciphertext = await encrypt(first, Buffer.from('for the first key'));
    assertInvalidArgument(await send('POST', `/keys/${second}/decrypt`, { ciphertext: b64(ciphertext) }), 'ciphertext');
    for (const index of [0, 3, 10, ciphertext.length - 1]) {
      const tampered = Buffer.from(ciphertext);
      tampered[index] = (tampered[index] ?? 0) ^ 0x01;
      assertInvalidArgument(await send('POST', `/keys/${first}/decrypt`, { ciphertext: b64(tampered) }), 'ciphertext');
    }
    assertInvalidArgument(await send('POST', `/keys/${first}/decrypt`, { ciphertext: b64(ciphertext.subarray(0, 20)) }), 'ciphertext');
    assertInvalidArgument(await send('POST', `/keys/${first}/decrypt`, { ciphertext: b64(randomBytes(64)) }), 'ciphertext');
    assertInvalidArgument(await send('POST', `/keys/${first}/decrypt`, { ciphertext: 'not base64!' }), 'ciphertext');
    assertInvalidArgument(await send('POST', `/keys/${first}/decrypt`, { ciphertext: '' }), 'ciphertext');
    assertInvalidArgument(await send('POST', `/keys/${first}/decrypt`, { ciphertext: b64(randomBytes(131_072)) }), 'ciphertext');
    // The original still decrypts: nothing above changed the key.
    assert.equal((await send('POST', `/keys/${first}/decrypt`, { ciphertext: b64(ciphertext) })).status, 200);
  });

  it('refuses wrong algorithms and usages, oversized or empty plaintext, and malformed fields', async () => {
    const key = await createKey();
    assertInvalidArgument(await send('POST', '/keys', { project_id: server.projectId, usage: { symmetric_encryption: 'chacha20' } }), 'usage');
    assertInvalidArgument(await send('POST', '/keys', { project_id: server.projectId, usage: { asymmetric_signing: 'ec_p256_sha256' } }), 'usage');
    assertInvalidArgument(await send('POST', '/keys', { project_id: server.projectId, origin: 'elsewhere' }), 'origin');
    assertInvalidArgument(await send('POST', '/keys', { project_id: server.projectId, rotation_policy: { rotation_period: '1h' } }), 'rotation_policy.rotation_period');
    assertInvalidArgument(await send('POST', '/keys', { project_id: server.projectId, rotation_policy: { rotation_period: 'soon' } }), 'rotation_policy.rotation_period');
    assertInvalidArgument(
      await send('POST', '/keys', { project_id: server.projectId, rotation_policy: { rotation_period: '24h', next_rotation_at: '2001-01-01T00:00:00Z' } }),
      'rotation_policy.next_rotation_at',
    );
    assertInvalidArgument(await send('POST', '/keys', { project_id: server.projectId, name: 'a'.repeat(256) }), 'name');
    assertInvalidArgument(await send('POST', '/keys', { project_id: server.projectId, tags: [''] }), 'tags');
    assertInvalidArgument(await send('POST', '/keys', { project_id: 'nope' }), 'project_id');
    assertInvalidArgument(await send('POST', `/keys/${key}/generate-data-key`, { algorithm: 'aes_128_gcm' }), 'algorithm');
    assertInvalidArgument(await send('POST', `/keys/${key}/encrypt`, { plaintext: b64(randomBytes(65_536)) }), 'plaintext');
    assertInvalidArgument(await send('POST', `/keys/${key}/encrypt`, { plaintext: '' }), 'plaintext');
    assertInvalidArgument(await send('POST', `/keys/${key}/encrypt`, {}), 'plaintext');
    assertInvalidArgument(await send('POST', `/keys/${key}/encrypt`, { plaintext: 42 }), 'plaintext');
    assertInvalidArgument(await send('POST', `/keys/${key}/encrypt`, { plaintext: b64('x'), associated_data: '%%%' }), 'associated_data');
    assertInvalidArgument(await send('POST', `/keys/${key}/encrypt`, '{"plaintext":'), 'body');
    assertInvalidArgument(await send('GET', `/keys?order_by=random`), 'order_by');
    assertInvalidArgument(await send('GET', `/keys?usage=quantum`), 'usage');
    assertInvalidArgument(await send('GET', `/keys?page_size=1000`), 'page_size');
    assertInvalidArgument(await send('GET', '/keys?scheduled_for_deletion=maybe'), 'scheduled_for_deletion');
    assertInvalidArgument(await send('PATCH', `/keys/${key}`, { tags: 'one' }), 'tags');
    assertInvalidArgument(await send('POST', '/keys', { project_id: server.projectId, description: 'nul\u0000byte' }), 'description');
    // A region the server does not serve is the caller's mistake, named as such.
    assertInvalidArgument(await rawFetch(`${server.url}/key-manager/v1alpha1/regions/mars/keys`, { headers: { 'x-auth-token': server.secretKey } }), 'region');
  });

  it('refuses lifecycle steps the key is not in a state for, with 412', async () => {
    const key = await createKey();
    assertScalewayError(await send('POST', `/keys/${key}/restore`, {}), 412, 'precondition_failed');
    assertScalewayError(await send('POST', `/keys/${key}/import-key-material`, { key_material: b64(randomBytes(32)) }), 412, 'precondition_failed');
    const external = await createKey({ origin: 'external' });
    assertInvalidArgument(await send('POST', `/keys/${external}/import-key-material`, { key_material: b64(randomBytes(16)) }), 'key_material');
    assertScalewayError(await send('POST', `/keys/${external}/rotate`, {}), 412, 'precondition_failed');
    assertScalewayError(await send('POST', `/keys/${external}/generate-data-key`, {}), 412, 'precondition_failed');
    assertScalewayError(await send('POST', `/keys/${external}/disable`, {}), 412, 'precondition_failed');
    assert.equal((await send('DELETE', `/keys/${key}`)).status, 204);
    assertScalewayError(await send('PATCH', `/keys/${key}`, { name: 'late' }), 412, 'precondition_failed');
    assertScalewayError(await send('POST', `/keys/${key}/rotate`, {}), 412, 'precondition_failed');
    assertScalewayError(await send('POST', `/keys/${key}/enable`, {}), 412, 'precondition_failed');
    assertScalewayError(await send('POST', `/keys/${key}/sign`, { digest: b64('x') }), 404, 'not_found');
  });
});
