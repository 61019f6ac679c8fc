import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFormBody } from './form-body.js';

test('reads form bodies as Vault does: one string per field, repeats joined with commas', () => {
  assert.deepEqual(parseFormBody('max_versions=3&cas_required=true'), { max_versions: '3', cas_required: 'true' });
  assert.deepEqual(parseFormBody('versions=1&versions=3'), { versions: '1,3' });
  assert.deepEqual(parseFormBody('delete_version_after=1h30m&note=a%20b+c'), { delete_version_after: '1h30m', note: 'a b c' });
});
