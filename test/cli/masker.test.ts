import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { MASK, Masker, maskPatterns } from '../../src/cli/run/masker.js';

const mask = async (chunks: Buffer[], values: string[], minLength = 4): Promise<string> => {
  const masker = new Masker(maskPatterns(values, minLength).patterns);
  const out: Buffer[] = [];
  masker.on('data', (chunk: Buffer) => out.push(chunk));
  await new Promise<void>((resolve, reject) => {
    Readable.from(chunks).pipe(masker).on('end', resolve).on('error', reject);
  });
  return Buffer.concat(out).toString('utf8');
};

describe('output masking', () => {
  it('conceals a value wherever the output is split, even inside a multi-byte character', async () => {
    const text = Buffer.from('before s3cr€t-välue after s3cr€t-välue!');
    const expected = `before ${MASK} after ${MASK}!`;
    for (let first = 0; first <= text.length; first += 1) {
      for (const second of [first, Math.min(text.length, first + 3)]) {
        const chunks = [text.subarray(0, first), text.subarray(first, second), text.subarray(second)].filter((chunk) => chunk.length > 0);
        assert.equal(await mask(chunks, ['s3cr€t-välue']), expected, `split at ${first}/${second}`);
      }
    }
  });

  it('prefers the longest value, and masks each line of a multi-line value', async () => {
    assert.equal(await mask([Buffer.from('token=abcd1234-extra, abcd1234')], ['abcd1234', 'abcd1234-extra']), `token=${MASK}, ${MASK}`);
    assert.equal(await mask([Buffer.from('line-one\nline-two\n')], ['line-one\nline-two']), `${MASK}\n`);
    assert.equal(await mask([Buffer.from('only line-two here')], ['line-one\nline-two']), `only ${MASK} here`);
  });

  it('leaves values under the minimum length alone, and says how many', () => {
    const { patterns, skipped } = maskPatterns(['abc', 'abcd', ''], 4);
    assert.deepEqual(patterns.map(String), ['abcd']);
    assert.equal(skipped, 1);
  });

  it('does not hold back output that cannot start a value, and flushes a partial match at the end', async () => {
    const masker = new Masker(maskPatterns(['secret-value']).patterns);
    const seen: string[] = [];
    masker.on('data', (chunk: Buffer) => seen.push(chunk.toString()));
    masker.write(Buffer.from('Password: '));
    assert.deepEqual(seen, ['Password: ']);
    masker.write(Buffer.from('secr'));
    assert.deepEqual(seen, ['Password: '], 'a possible start of a value waits');
    masker.end(Buffer.from('et'));
    await new Promise((resolve) => masker.on('end', resolve));
    assert.equal(seen.join(''), 'Password: secret');
  });
});
