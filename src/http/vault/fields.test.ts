import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseGoBool, unknownFieldsWarning, VaultRequestError, weakBool, weakDuration, weakInt, weakIntList, weakStringMap } from './fields.js';

test('decodes fields weakly, as Vault does', () => {
  assert.equal(weakInt('version', '5'), 5);
  assert.equal(weakInt('version', ['7', '8']), 7);
  assert.equal(weakInt('cas', true), 1);
  assert.equal(weakInt('cas', -1), -1);
  assert.throws(() => weakInt('version', 'abc'), (error: unknown) =>
    error instanceof VaultRequestError && error.message.startsWith('Field validation failed: error converting input for field "version"'));
  assert.throws(() => weakInt('version', 1.5), VaultRequestError);
  assert.equal(weakBool('cas_required', 'true'), true);
  assert.equal(weakBool('cas_required', 'F'), false);
  assert.equal(weakBool('cas_required', 1), true);
  assert.throws(() => weakBool('cas_required', 'yes'), VaultRequestError);
  assert.equal(parseGoBool('TRUE'), true);
  assert.equal(parseGoBool('tRue'), null);
});

test('reads version lists in every form Vault accepts', () => {
  assert.deepEqual(weakIntList('versions', [1, 2]), [1, 2]);
  assert.deepEqual(weakIntList('versions', '1,2'), [1, 2]);
  assert.deepEqual(weakIntList('versions', 3), [3]);
  assert.deepEqual(weakIntList('versions', []), []);
  assert.deepEqual(weakIntList('versions', ['4', '5']), [4, 5]);
  assert.throws(() => weakIntList('versions', 'a,b'), VaultRequestError);
});

test('converts custom metadata values and refuses nested ones', () => {
  assert.deepEqual(weakStringMap('custom_metadata', { a: 1, b: true, c: 'x', d: null }, true), { a: '1', b: 'true', c: 'x', d: null });
  assert.deepEqual(weakStringMap('custom_metadata', { d: null }, false), { d: '' });
  assert.throws(() => weakStringMap('custom_metadata', { a: { b: 1 } }, false), (error: unknown) =>
    error instanceof VaultRequestError && error.message.includes('got unconvertible type'));
  assert.throws(() => weakStringMap('custom_metadata', 'x', false), VaultRequestError);
});

test('warns about unknown parameters, sorted', () => {
  assert.deepEqual(unknownFieldsWarning({ zeta: 1, data: {}, alpha: 2 }, ['data', 'options']), ['Endpoint ignored these unrecognized parameters: [alpha zeta]']);
  assert.deepEqual(unknownFieldsWarning({ data: {} }, ['data']), []);
});

test('reads durations as Go ParseDurationSecond, and names the field it could not convert', () => {
  assert.equal(weakDuration('delete_version_after', '1h30m'), 5400);
  assert.equal(weakDuration('delete_version_after', 90), 90);
  assert.equal(weakDuration('delete_version_after', '2d'), 172800);
  assert.equal(weakDuration('delete_version_after', '-1h'), -3600);
  assert.equal(weakDuration('delete_version_after', ''), 0);
  assert.throws(() => weakDuration('delete_version_after', '5 minutes'), (error: unknown) =>
    error instanceof VaultRequestError &&
    error.message === 'Field validation failed: error converting input for field "delete_version_after": time: invalid duration "5 minutes"');
  assert.throws(() => weakDuration('delete_version_after', true), VaultRequestError);
});
