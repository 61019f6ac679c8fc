import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDurationSeconds, parseDurationSeconds } from './go-duration.js';

test('parses durations the way Vault does', () => {
  const cases: [string | number, number | null][] = [
    ['', 0],
    ['0', 0],
    ['0s', 0],
    [30, 30],
    ['45', 45],
    ['2d', 172800],
    ['5m', 300],
    ['1h30m', 5400],
    ['1.5h', 5400],
    ['-1h', -3600],
    ['1500ms', 1],
    ['30m0s', 1800],
    ['abc', null],
    ['5x', null],
    ['1h30', null],
  ];
  for (const [input, expected] of cases) {
    assert.equal(parseDurationSeconds(input), expected, String(input));
  }
});

test('formats whole seconds as Go prints a Duration', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [45, '45s'],
    [90, '1m30s'],
    [300, '5m0s'],
    [1800, '30m0s'],
    [3600, '1h0m0s'],
    [12319, '3h25m19s'],
    [86400, '24h0m0s'],
    [-1, '-1s'],
  ];
  for (const [seconds, expected] of cases) {
    assert.equal(formatDurationSeconds(seconds), expected);
  }
});
