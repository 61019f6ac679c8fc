import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32c, crc32Ieee, matchesCrc32 } from './crc32.js';

describe('crc32', () => {
  // Check values from the CRC catalogue: CRC of the ASCII string "123456789".
  const check = Buffer.from('123456789');

  it('computes the IEEE check value', () => {
    assert.equal(crc32Ieee(check), 0xcbf43926);
  });

  it('computes the Castagnoli check value', () => {
    assert.equal(crc32c(check), 0xe3069283);
  });

  it('accepts either polynomial and rejects anything else', () => {
    assert.equal(matchesCrc32(check, 0xcbf43926), true);
    assert.equal(matchesCrc32(check, 0xe3069283), true);
    assert.equal(matchesCrc32(check, 0xcbf43927), false);
  });
});
