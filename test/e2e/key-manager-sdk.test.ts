import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createClient, Errors } from '@scaleway/sdk-client';
import { KeyManagerv1alpha1 } from '@scaleway/sdk-key-manager';
import { ENGINES, startServerOn, type TestServer } from '../helpers/server.js';
import { b64, uniqueName } from '../helpers/wire.js';

/** Scaleway's own JS SDK Key Manager client, unchanged, against a real Coffer process. */
const apiFor = (server: TestServer) =>
  new KeyManagerv1alpha1.API(
    createClient({ accessKey: server.accessKey, secretKey: server.secretKey, apiURL: server.url, defaultProjectId: server.projectId, defaultRegion: 'fr-par' }),
  );

/** Runs `promise`, expects a Scaleway SDK error of `kind`, and returns it. */
const rejection = async <T extends Error>(promise: Promise<unknown>, kind: new (...args: never[]) => T): Promise<T> => {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof kind, `expected ${kind.name}, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${kind.name}, but the call succeeded`);
};

for (const engine of ENGINES) {
  describe(`Scaleway Key Manager SDK on ${engine}`, () => {
    let stop: () => Promise<void>;
    let server: TestServer;
    let api: KeyManagerv1alpha1.API;

    before(async () => {
      const started = await startServerOn(engine);
      server = started.server;
      stop = started.stop;
      api = apiFor(server);
    });
    after(async () => stop());

    it('runs a key through its lifecycle: create, get, list, update, protect, disable, enable, delete, restore', async () => {
      const name = uniqueName('key');
      const key = await api.createKey({
        name,
        description: 'for the lifecycle test',
        tags: ['env:test', 'team:a'],
        usage: { symmetricEncryption: 'aes_256_gcm' },
        rotationPolicy: { rotationPeriod: '720h' },
        unprotected: false,
      });
      assert.equal(key.name, name);
      assert.equal(key.projectId, server.projectId);
      assert.equal(key.state, 'enabled');
      assert.equal(key.protected, true);
      assert.equal(key.locked, false);
      assert.equal(key.origin, 'scaleway_kms');
      assert.equal(key.rotationCount, 0);
      assert.equal(key.region, 'fr-par');
      assert.deepEqual(key.usage, { symmetricEncryption: 'aes_256_gcm', asymmetricEncryption: undefined, asymmetricSigning: undefined });
      assert.equal(key.rotationPolicy?.rotationPeriod, '2592000s');
      assert.ok(key.rotationPolicy?.nextRotationAt instanceof Date);
      assert.ok(key.rotationPolicy.nextRotationAt.getTime() > Date.now() + 29 * 86_400_000);
      assert.equal(key.deletionRequestedAt, undefined);

      assert.deepEqual((await api.getKey({ keyId: key.id })).tags, ['env:test', 'team:a']);
      const listed = await api.listKeys({ projectId: server.projectId, scheduledForDeletion: false, name });
      assert.equal(listed.totalCount, 1);
      assert.equal(listed.keys[0]?.id, key.id);
      assert.equal((await api.listKeys({ projectId: server.projectId, scheduledForDeletion: false, tags: ['team:a'] })).keys.some((listedKey) => listedKey.id === key.id), true);
      assert.equal((await api.listKeys({ projectId: server.projectId, scheduledForDeletion: false, tags: ['team:b'] })).keys.some((listedKey) => listedKey.id === key.id), false);

      const updated = await api.updateKey({ keyId: key.id, description: 'changed', tags: ['env:prod'] });
      assert.equal(updated.description, 'changed');
      assert.deepEqual(updated.tags, ['env:prod']);
      assert.equal(updated.name, name);

      // Protected by default: deletion is refused until unprotected.
      const refused = await rejection(api.deleteKey({ keyId: key.id }), Errors.PreconditionFailedError);
      assert.equal(refused.precondition, 'key_protected');
      assert.equal((await api.unprotectKey({ keyId: key.id })).protected, false);

      assert.equal((await api.disableKey({ keyId: key.id })).state, 'disabled');
      const disabled = await rejection(api.encrypt({ keyId: key.id, plaintext: b64('x') }), Errors.PreconditionFailedError);
      assert.equal(disabled.precondition, 'key_disabled');
      assert.match(disabled.helpMessage, new RegExp(key.id));
      assert.equal((await api.enableKey({ keyId: key.id })).state, 'enabled');

      await api.deleteKey({ keyId: key.id });
      const scheduled = await api.getKey({ keyId: key.id });
      assert.equal(scheduled.state, 'scheduled_for_deletion');
      assert.ok(scheduled.deletionRequestedAt instanceof Date);
      assert.equal((await api.listKeys({ projectId: server.projectId, scheduledForDeletion: false, name })).totalCount, 0);
      assert.equal((await api.listKeys({ projectId: server.projectId, scheduledForDeletion: true, name })).totalCount, 1);
      await rejection(api.encrypt({ keyId: key.id, plaintext: b64('x') }), Errors.PreconditionFailedError);

      const restored = await api.restoreKey({ keyId: key.id });
      assert.equal(restored.state, 'enabled');
      assert.equal(restored.deletionRequestedAt, undefined);
      assert.equal((await api.protectKey({ keyId: key.id })).protected, true);
      const algorithms = await api.listAlgorithms({});
      assert.deepEqual(algorithms.algorithms.map((algorithm) => algorithm.name), ['aes_256_gcm']);
    });

    it('encrypts and decrypts round trips, with and without associated data', async () => {
      const key = await api.createKey({ unprotected: true, usage: { symmetricEncryption: 'aes_256_gcm' } });
      for (const plaintext of [Buffer.from('hello'), randomBytes(1), randomBytes(1024), randomBytes(65_535)]) {
        const encrypted = await api.encrypt({ keyId: key.id, plaintext: b64(plaintext) });
        assert.equal(encrypted.keyId, key.id);
        assert.notEqual(encrypted.ciphertext, b64(plaintext));
        const decrypted = await api.decrypt({ keyId: key.id, ciphertext: encrypted.ciphertext });
        assert.equal(decrypted.plaintext, b64(plaintext));
        assert.equal(decrypted.ciphertext, undefined);
      }
      const aad = b64('tenant=42');
      const bound = await api.encrypt({ keyId: key.id, plaintext: b64('bound'), associatedData: aad });
      assert.equal((await api.decrypt({ keyId: key.id, ciphertext: bound.ciphertext, associatedData: aad })).plaintext, b64('bound'));
      await rejection(api.decrypt({ keyId: key.id, ciphertext: bound.ciphertext }), Errors.InvalidArgumentsError);
      await rejection(api.decrypt({ keyId: key.id, ciphertext: bound.ciphertext, associatedData: b64('tenant=43') }), Errors.InvalidArgumentsError);
    });

    it('generates data keys with and without their plaintext, decryptable by the key', async () => {
      const key = await api.createKey({ unprotected: true });
      const withPlaintext = await api.generateDataKey({ keyId: key.id, algorithm: 'aes_256_gcm', withoutPlaintext: false });
      assert.equal(withPlaintext.keyId, key.id);
      assert.equal(withPlaintext.algorithm, 'aes_256_gcm');
      assert.ok(withPlaintext.createdAt instanceof Date);
      assert.equal(Buffer.from(withPlaintext.plaintext ?? '', 'base64').length, 32);
      const opened = await api.decrypt({ keyId: key.id, ciphertext: withPlaintext.ciphertext });
      assert.equal(opened.plaintext, withPlaintext.plaintext);

      const withoutPlaintext = await api.generateDataKey({ keyId: key.id, withoutPlaintext: true });
      assert.equal(withoutPlaintext.plaintext, undefined);
      const recovered = Buffer.from((await api.decrypt({ keyId: key.id, ciphertext: withoutPlaintext.ciphertext })).plaintext, 'base64');
      assert.equal(recovered.length, 32);
      assert.notEqual(recovered.toString('base64'), withPlaintext.plaintext);
    });

    it('after rotations, ciphertexts from before and after all decrypt, and old ones come back re-encrypted', async () => {
      const key = await api.createKey({ unprotected: true });
      const before = await api.encrypt({ keyId: key.id, plaintext: b64('before') });
      const rotated = await api.rotateKey({ keyId: key.id });
      assert.equal(rotated.rotationCount, 1);
      assert.ok(rotated.rotatedAt instanceof Date);
      const middle = await api.encrypt({ keyId: key.id, plaintext: b64('middle') });
      assert.equal((await api.rotateKey({ keyId: key.id })).rotationCount, 2);
      const afterRotation = await api.encrypt({ keyId: key.id, plaintext: b64('after') });
      const fromBefore = await api.decrypt({ keyId: key.id, ciphertext: before.ciphertext });
      assert.equal(fromBefore.plaintext, b64('before'));
      assert.ok(fromBefore.ciphertext, 'an old ciphertext comes back under the current version');
      assert.equal((await api.decrypt({ keyId: key.id, ciphertext: fromBefore.ciphertext })).ciphertext, undefined);
      assert.equal((await api.decrypt({ keyId: key.id, ciphertext: middle.ciphertext })).plaintext, b64('middle'));
      const current = await api.decrypt({ keyId: key.id, ciphertext: afterRotation.ciphertext });
      assert.equal(current.plaintext, b64('after'));
      assert.equal(current.ciphertext, undefined);
    });

    it('imports external key material and uses it', async () => {
      const key = await api.createKey({ unprotected: true, origin: 'external' });
      assert.equal(key.state, 'pending_key_material');
      assert.equal(key.origin, 'external');
      await rejection(api.encrypt({ keyId: key.id, plaintext: b64('too early') }), Errors.PreconditionFailedError);
      const imported = await api.importKeyMaterial({ keyId: key.id, keyMaterial: b64(randomBytes(32)), salt: b64(randomBytes(16)) });
      assert.equal(imported.state, 'enabled');
      const encrypted = await api.encrypt({ keyId: key.id, plaintext: b64('external') });
      assert.equal((await api.decrypt({ keyId: key.id, ciphertext: encrypted.ciphertext })).plaintext, b64('external'));
      await rejection(api.importKeyMaterial({ keyId: key.id, keyMaterial: b64(randomBytes(32)) }), Errors.PreconditionFailedError);
    });
  });
}
