import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { createSigningSecrets, signatureOf } from '../../src/core/rotation/index.js';
import { IntegrityError } from '../../src/crypto/index.js';

describe('webhook signing secrets', () => {
  const signing = createSigningSecrets(randomBytes(32));

  it('seals a signing secret so that only its own row opens it', () => {
    const secret = signing.generate();
    assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    const sealed = signing.seal('secret-a', 'key-1', secret);
    assert.ok(!sealed.includes(Buffer.from(secret)), 'not in clear');
    assert.equal(signing.open('secret-a', 'key-1', sealed), secret);
    assert.throws(() => signing.open('secret-b', 'key-1', sealed), IntegrityError, 'moved to another secret');
    assert.throws(() => signing.open('secret-a', 'key-2', sealed), IntegrityError, 'under another key id');
    assert.throws(() => createSigningSecrets(randomBytes(32)).open('secret-a', 'key-1', sealed), IntegrityError, 'under another root key');
    assert.notEqual(signing.generate(), secret);
  });

  it('signs "<timestamp>.<body>" with HMAC-SHA256 as receivers recompute it', () => {
    const body = '{"rotation_id":"r"}';
    const expected = createHmac('sha256', 'whsec_test').update(`1700000000.${body}`).digest('hex');
    assert.equal(signatureOf('whsec_test', '1700000000', body), `v1=${expected}`);
    assert.notEqual(signatureOf('whsec_test', '1700000001', body), `v1=${expected}`, 'the timestamp is signed');
  });
});
