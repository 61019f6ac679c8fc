import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32c, crc32Ieee, matchingCrc32 } from './crc32.js';

describe('crc32', () => {
  // Check values from the CRC catalogue: CRC of the ASCII string "123456789".
  const check = Buffer.from('123456789');

  it('computes the IEEE check value', () => {
    assert.equal(crc32Ieee(check), 0xcbf43926);
  });

  it('computes the Castagnoli check value', () => {
    assert.equal(crc32c(check), 0xe3069283);
  });

  it('names the polynomial that matches, and none for anything else', () => {
    assert.equal(matchingCrc32(check, 0xcbf43926), 'crc32');
    assert.equal(matchingCrc32(check, 0xe3069283), 'crc32c');
    assert.equal(matchingCrc32(check, 0xcbf43927), null);
  });
});
