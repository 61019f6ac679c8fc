import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FORMAT_V1, generateKey, IntegrityError, open, seal } from './aead.js';
import { dataKeyAad, payloadAad } from './aad.js';

describe('AES-256-GCM seal/open', () => {
  const key = generateKey();
  const aad = payloadAad('secret-a', 1, 'dek-1');

  it('round-trips and leads with the format byte', () => {
    const sealed = seal(key, Buffer.from('hello'), aad);
    assert.equal(sealed[0], FORMAT_V1);
    assert.equal(sealed.length, 1 + 12 + 5 + 16);
    assert.equal(open(key, sealed, aad).toString(), 'hello');
  });

  it('uses a fresh IV each time, so equal plaintexts give different ciphertexts', () => {
    assert.notDeepEqual(seal(key, Buffer.from('same'), aad), seal(key, Buffer.from('same'), aad));
  });

  it('fails to open a ciphertext moved to another secret, revision or data key', () => {
    const sealed = seal(key, Buffer.from('payload'), aad);
    for (const other of [payloadAad('secret-b', 1, 'dek-1'), payloadAad('secret-a', 2, 'dek-1'), payloadAad('secret-a', 1, 'dek-2')]) {
      assert.throws(() => open(key, sealed, other), IntegrityError);
    }
  });

  it('keeps the layers apart: a payload AAD never opens a data-key ciphertext', () => {
    const sealed = seal(key, Buffer.from('k'), dataKeyAad('kek', 'secret-a', 1, 'dek-1'));
    assert.throws(() => open(key, sealed, payloadAad('secret-a', 1, 'dek-1')), IntegrityError);
  });

  it('rejects a wrong key, a flipped bit, a truncation and an unknown format', () => {
    const sealed = seal(key, Buffer.from('payload'), aad);
    assert.throws(() => open(generateKey(), sealed, aad), IntegrityError);
    const flipped = Buffer.from(sealed);
    flipped[15] = (flipped[15] ?? 0) ^ 1;
    assert.throws(() => open(key, flipped, aad), IntegrityError);
    assert.throws(() => open(key, sealed.subarray(0, 20), aad), IntegrityError);
    const reformatted = Buffer.from(sealed);
    reformatted[0] = 2;
    assert.throws(() => open(key, reformatted, aad), /unknown ciphertext format/);
  });

  it('refuses keys that are not 256 bits', () => {
    assert.throws(() => seal(Buffer.alloc(16), Buffer.from('x'), aad), RangeError);
  });
});
