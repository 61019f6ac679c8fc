import assert from 'node:assert/strict';
import { test } from 'node:test';
import { vaultTime } from './envelope.js';

test('writes times as Go RFC3339Nano does: UTC, trailing zeros of the fraction trimmed', () => {
  const second = Date.UTC(2025, 0, 3, 23, 37, 19) * 1000;
  assert.equal(vaultTime(second), '2025-01-03T23:37:19Z');
  assert.equal(vaultTime(second + 500_000), '2025-01-03T23:37:19.5Z');
  assert.equal(vaultTime(second + 654_491), '2025-01-03T23:37:19.654491Z');
  assert.equal(vaultTime(second + 10), '2025-01-03T23:37:19.00001Z');
  assert.equal(vaultTime(null), '');
});
