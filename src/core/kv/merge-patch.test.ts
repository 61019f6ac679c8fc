import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergePatch } from './merge-patch.js';

test('merge patch follows the examples of RFC 7386', () => {
  assert.deepEqual(mergePatch({ a: 'b' }, { a: 'c' }), { a: 'c' });
  assert.deepEqual(mergePatch({ a: 'b' }, { b: 'c' }), { a: 'b', b: 'c' });
  assert.deepEqual(mergePatch({ a: 'b' }, { a: null }), {});
  assert.deepEqual(mergePatch({ a: 'b', b: 'c' }, { a: null }), { b: 'c' });
  assert.deepEqual(mergePatch({ a: ['b'] }, { a: 'c' }), { a: 'c' });
  assert.deepEqual(mergePatch({ a: 'c' }, { a: ['b'] }), { a: ['b'] });
  assert.deepEqual(mergePatch({ a: { b: 'c' } }, { a: { b: 'd', c: null } }), { a: { b: 'd' } });
  assert.deepEqual(mergePatch({ a: [{ b: 'c' }] }, { a: [1] }), { a: [1] });
  assert.deepEqual(mergePatch({ e: null }, { a: 1 }), { e: null, a: 1 });
  assert.deepEqual(mergePatch([1, 2], { a: 'b', c: null }), { a: 'b' });
  assert.deepEqual(mergePatch({}, { a: { bb: { ccc: null } } }), { a: { bb: {} } });
});

test('merge patch matches Vault KV v2 patch semantics', () => {
  const current = { bar: 'baz', quux: { quuz: ['1', '2', '3'] } };
  const patched = mergePatch(current, { abc: 123, quux: { def: 456, quuz: ['1', '2', '3', '4'] } });
  assert.deepEqual(patched, { abc: 123, bar: 'baz', quux: { def: 456, quuz: ['1', '2', '3', '4'] } });
  assert.deepEqual(current, { bar: 'baz', quux: { quuz: ['1', '2', '3'] } }, 'the target is not mutated');
});
