import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { decryptWithVersion, encryptWithVersion, IntegrityError, materialFromImport, versionOfCiphertext } from './kms-crypto.js';

describe('Key Manager ciphertexts', () => {
  const material = randomBytes(32);

  it('carry their key version in clear and bind the key id and associated data', () => {
    const ciphertext = encryptWithVersion(material, 'key-a', 7, Buffer.from('payload'), Buffer.from('ctx'));
    assert.equal(ciphertext[0], 0x4b);
    assert.equal(versionOfCiphertext(ciphertext), 7);
    assert.equal(decryptWithVersion(material, 'key-a', 7, ciphertext, Buffer.from('ctx')).toString(), 'payload');
    assert.throws(() => decryptWithVersion(material, 'key-b', 7, ciphertext, Buffer.from('ctx')), IntegrityError);
    assert.throws(() => decryptWithVersion(material, 'key-a', 6, ciphertext, Buffer.from('ctx')), IntegrityError);
    assert.throws(() => decryptWithVersion(material, 'key-a', 7, ciphertext, null), IntegrityError);
    assert.throws(() => decryptWithVersion(material, 'key-a', 7, ciphertext, Buffer.alloc(0)), IntegrityError);
  });

  it('tell no associated data from empty associated data', () => {
    const none = encryptWithVersion(material, 'key-a', 1, Buffer.from('x'), null);
    assert.throws(() => decryptWithVersion(material, 'key-a', 1, none, Buffer.alloc(0)), IntegrityError);
    assert.equal(decryptWithVersion(material, 'key-a', 1, none, null).toString(), 'x');
  });

  it('are recognised only with their tag and a non-zero version', () => {
    assert.equal(versionOfCiphertext(Buffer.from([0x4b, 0, 0, 0])), null);
    assert.equal(versionOfCiphertext(Buffer.from([0x4b, 0, 0, 0, 0, 1])), null);
    assert.equal(versionOfCiphertext(Buffer.from([0x01, 0, 0, 0, 1, 1])), null);
    assert.equal(versionOfCiphertext(Buffer.from([0x4b, 0, 0, 1, 0, 1])), 256);
  });
});

describe('imported key material', () => {
  it('is used as given without a salt, derived with one, and must be 32 bytes', () => {
    const material = randomBytes(32);
    assert.deepEqual(materialFromImport(material, null), material);
    const salted = materialFromImport(material, Buffer.from('salt'));
    assert.equal(salted.length, 32);
    assert.notDeepEqual(salted, material);
    assert.deepEqual(materialFromImport(material, Buffer.from('salt')), salted);
    assert.throws(() => materialFromImport(randomBytes(16), null), RangeError);
  });
});
