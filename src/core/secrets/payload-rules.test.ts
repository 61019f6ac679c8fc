import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../shared/errors.js';
import { crc32Ieee } from '../../shared/crc32.js';
import { validatePayload } from './payload-rules.js';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

const problemOf = (run: () => void): { field: string; reason: string; message: string } => {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof AppError);
    const problem = error.details.problems?.[0];
    assert.ok(problem);
    return problem;
  }
  assert.fail('expected the payload to be rejected');
};

describe('validatePayload', () => {
  it('accepts anything, binary included, for opaque secrets up to 64 KiB', () => {
    validatePayload('opaque', Buffer.from([0, 255, 1]), null);
    validatePayload('opaque', Buffer.alloc(65536), null);
    assert.equal(problemOf(() => validatePayload('opaque', Buffer.alloc(65537), null)).reason, 'constraint');
  });

  it('rejects nested values in key_value with the message Scaleway records', () => {
    validatePayload('key_value', Buffer.from('{"key": "value", "n": 1, "b": true}'), null);
    const problem = problemOf(() => validatePayload('key_value', Buffer.from('{"key": "value", "invalid": {}}'), null));
    assert.equal(problem.field, 'data');
    assert.equal(problem.message, '- invalid: Invalid type. Expected: string, given: object\n');
  });

  it('names each missing or mistyped credential field', () => {
    const problem = problemOf(() => validatePayload('basic_credentials', json({ username: 'u', password: 3 }), null));
    assert.equal(problem.message, '- password: Invalid type. Expected: string, given: number\n');
    assert.match(problemOf(() => validatePayload('ssh_key', json({}), null)).message, /ssh_private_key is required/);
  });

  it('checks database credentials port and engine', () => {
    const valid = { engine: 'postgres', username: 'u', password: 'p', host: 'h', dbname: 'd', port: '5432' };
    validatePayload('database_credentials', json(valid), null);
    assert.match(problemOf(() => validatePayload('database_credentials', json({ ...valid, port: '70000' }), null)).message, /port/);
    assert.match(problemOf(() => validatePayload('database_credentials', json({ ...valid, engine: 'oracle' }), null)).message, /engine/);
  });

  it('accepts concatenated PEM blocks and nothing else for certificates', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';
    validatePayload('certificate', Buffer.from(pem), null);
    problemOf(() => validatePayload('certificate', Buffer.from(`${pem}trailing junk`), null));
    problemOf(() => validatePayload('certificate', Buffer.from('not a pem'), null));
  });

  it('rejects non-JSON data for JSON types and a wrong checksum for any type', () => {
    assert.match(problemOf(() => validatePayload('key_value', Buffer.from('nope'), null)).message, /Invalid JSON/);
    const data = Buffer.from('payload');
    validatePayload('opaque', data, crc32Ieee(data));
    assert.equal(problemOf(() => validatePayload('opaque', data, crc32Ieee(data) ^ 1)).field, 'data_crc32');
  });
});
