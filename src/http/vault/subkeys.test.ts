import assert from 'node:assert/strict';
import { test } from 'node:test';
import { subkeysOf } from './subkeys.js';

test('replaces leaves with null down to the requested depth', () => {
  const data = { foo: 'abc', bar: { baz: 'def' }, quux: {} };
  assert.deepEqual(subkeysOf(data, 0), { foo: null, bar: { baz: null }, quux: null });
  assert.deepEqual(subkeysOf(data, 1), { foo: null, bar: null, quux: null });
  const deep = { foo: { bar: { baz: 123 } } };
  assert.deepEqual(subkeysOf(deep, 0), { foo: { bar: { baz: null } } });
  assert.deepEqual(subkeysOf(deep, 2), { foo: { bar: null } });
  assert.deepEqual(subkeysOf(deep, 1), { foo: null });
  assert.deepEqual(subkeysOf({ list: [1, { a: 1 }] }, 0), { list: null });
  assert.deepEqual(subkeysOf({}, 0), {});
});
