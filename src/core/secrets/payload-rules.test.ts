import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../shared/errors.js';
import { crc32Ieee } from '../../shared/crc32.js';
import { makeTestCertificates } from '../../../test/helpers/certificates.js';
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

  it('accepts a readable, unexpired certificate chain with its own key, and nothing else', () => {
    const certs = makeTestCertificates();
    const pem = `${certs.certificate}${certs.key}`;
    validatePayload('certificate', Buffer.from(pem), null);
    validatePayload('certificate', Buffer.from(certs.certificate), null);
    assert.match(problemOf(() => validatePayload('certificate', Buffer.from(`${pem}trailing junk`), null)).message, /PEM blocks only/);
    assert.match(problemOf(() => validatePayload('certificate', Buffer.from('not a pem'), null)).message, /PEM blocks only/);
    const fake = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    assert.match(problemOf(() => validatePayload('certificate', Buffer.from(fake), null)).message, /not a readable X.509 certificate/);
    assert.match(problemOf(() => validatePayload('certificate', Buffer.from(`${certs.certificate}${certs.otherKey}`), null)).message, /does not match/);
    assert.match(problemOf(() => validatePayload('certificate', Buffer.from(`${certs.certificate}${certs.key}${certs.otherKey}`), null)).message, /at most one private key/);
    // Expiry is judged at the time given: a month and a day later, the same chain is refused.
    assert.match(problemOf(() => validatePayload('certificate', Buffer.from(pem), null, Date.now() + 31 * 86_400_000)).message, /expired on/);
  });

  it('rejects non-JSON data for JSON types and a wrong checksum for any type', () => {
    assert.match(problemOf(() => validatePayload('key_value', Buffer.from('nope'), null)).message, /Invalid JSON/);
    const data = Buffer.from('payload');
    validatePayload('opaque', data, crc32Ieee(data));
    assert.equal(problemOf(() => validatePayload('opaque', data, crc32Ieee(data) ^ 1)).field, 'data_crc32');
  });
});
