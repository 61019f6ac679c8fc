import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateKey, IntegrityError, open, seal } from './aead.js';
import { keyEncryptionKeyAad } from './aad.js';
import { deriveKey } from './derive.js';
import { createRootKey, fileRootProtector, type RootKeyProtector } from './root-protector.js';

/** A second protector with its own format byte, standing in for the HSM (which needs a token). */
const otherFormat = (key: Buffer): RootKeyProtector => ({
  kind: 'hsm',
  description: 'a test protector',
  wrap: (plaintext, aad) => Buffer.concat([Buffer.of(0x48), seal(key, plaintext, aad).subarray(1)]),
  unwrap: (blob, aad) => open(key, Buffer.concat([Buffer.of(0x01), blob.subarray(1)]), aad),
  owns: (blob) => blob[0] === 0x48,
});

describe('root key protectors', () => {
  const fileKey = generateKey();
  const aad = keyEncryptionKeyAad('kek', 'project', 'fr-par');

  it('the file protector is the original format, byte for byte: old ciphertexts open and new ones open the old way', () => {
    const rootKey = createRootKey([fileRootProtector(fileKey)], fileKey);
    const old = seal(fileKey, Buffer.from('kek bytes'), aad);
    assert.equal(rootKey.unwrap(old, aad).toString(), 'kek bytes');
    assert.equal(open(fileKey, rootKey.wrap(Buffer.from('new'), aad), aad).toString(), 'new');
  });

  it('derives the keys deriveKey(rootKey, label) always gave when the file key is the derivation secret', () => {
    const rootKey = createRootKey([fileRootProtector(fileKey)], fileKey);
    assert.deepEqual(rootKey.deriveKey('coffer/audit-token-hmac/v1'), deriveKey(fileKey, 'coffer/audit-token-hmac/v1'));
    assert.notDeepEqual(rootKey.deriveKey('a'), rootKey.deriveKey('b'));
  });

  it('wraps with the primary and unwraps with whichever protector the format byte names', () => {
    const hsmKey = generateKey();
    const moving = createRootKey([otherFormat(hsmKey), fileRootProtector(fileKey)], fileKey);
    const underFile = seal(fileKey, Buffer.from('old'), aad);
    const underPrimary = moving.wrap(Buffer.from('new'), aad);
    assert.equal(underPrimary[0], 0x48);
    assert.equal(moving.isCurrent(underPrimary), true);
    assert.equal(moving.isCurrent(underFile), false);
    assert.equal(moving.unwrap(underFile, aad).toString(), 'old');
    assert.equal(moving.unwrap(underPrimary, aad).toString(), 'new');
    const fileOnly = createRootKey([fileRootProtector(fileKey)], fileKey);
    assert.throws(() => fileOnly.unwrap(underPrimary, aad), IntegrityError);
    assert.throws(() => moving.unwrap(underPrimary, keyEncryptionKeyAad('kek', 'project', 'nl-ams')), IntegrityError);
  });
});
