import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { KV_PRECONDITIONS } from '../../core/kv/index.js';
import { AppError, preconditionFailed } from '../../shared/errors.js';
import { handleVaultError, INVALID_TOKEN, multiError, PERMISSION_DENIED } from './errors.js';
import { VaultRequestError } from './fields.js';

test('formats errors as go-multierror does', () => {
  assert.equal(multiError(['permission denied']), '1 error occurred:\n\t* permission denied\n\n');
  assert.equal(multiError(['a', 'b']), '2 errors occurred:\n\t* a\n\t* b\n\n');
  assert.equal(PERMISSION_DENIED, '1 error occurred:\n\t* permission denied\n\n');
  assert.equal(INVALID_TOKEN, '2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n');
});

/** Each error, thrown by a route, as the Vault adapter answers it. */
const answerTo = async (error: Error) => {
  const app = Fastify({ logger: false });
  app.setErrorHandler(handleVaultError);
  app.get('/', async () => {
    throw error;
  });
  const response = await app.inject({ method: 'GET', url: '/' });
  await app.close();
  return { status: response.statusCode, body: response.json<unknown>() };
};

test('maps domain errors to Vault statuses and words', async () => {
  const customMetadata = new AppError('invalid_argument', 'custom metadata is invalid', {
    problems: [
      { field: 'custom_metadata', reason: 'constraint', message: 'length of key "" is 0 but must be 0 < len(key) <= 128' },
      { field: 'custom_metadata', reason: 'constraint', message: 'length of value for key "b" is 0 but must be 0 < len(value) <= 512' },
    ],
  });
  const cases: [Error, number, unknown][] = [
    [preconditionFailed(KV_PRECONDITIONS.casMismatch, 'any wording'), 400, { errors: ['check-and-set parameter did not match the current version'] }],
    [preconditionFailed(KV_PRECONDITIONS.casRequired, 'any wording'), 400, { errors: ['check-and-set parameter required for this call'] }],
    [
      customMetadata,
      400,
      {
        errors: [
          '2 errors occurred:\n\t* custom_metadata validation failed: length of key "" is 0 but must be 0 < len(key) <= 128\n\t* custom_metadata validation failed: length of value for key "b" is 0 but must be 0 < len(value) <= 512\n\n',
        ],
      },
    ],
    [
      new AppError('invalid_argument', 'x', { problems: [{ field: 'custom_metadata', reason: 'constraint', message: 'payload must contain at most 64 keys, provided 65' }] }),
      400,
      { errors: ['1 error occurred:\n\t* custom_metadata validation failed: payload must contain at most 64 keys, provided 65\n\n'] },
    ],
    [new AppError('invalid_argument', 'the path has an empty segment', { problems: [{ field: 'path', reason: 'format', message: 'the path has an empty segment' }] }), 400, { errors: ['the path has an empty segment'] }],
    [new AppError('not_found', 'no such secret'), 404, { errors: [] }],
    [new AppError('unauthenticated', 'unknown key'), 403, { errors: [INVALID_TOKEN] }],
    [new AppError('permission_denied', 'no grant'), 403, { errors: [PERMISSION_DENIED] }],
    [new AppError('payload_too_large', 'too large'), 413, { errors: ['too large'] }],
    [new VaultRequestError('PATCH requires Content-Type of application/merge-patch+json, provided text/plain', 415), 415, { errors: ['PATCH requires Content-Type of application/merge-patch+json, provided text/plain'] }],
    [new AppError('internal', 'a detail nobody outside should read'), 500, { errors: ['internal error'] }],
    [new Error('a driver failure'), 500, { errors: ['internal error'] }],
  ];
  for (const [error, status, body] of cases) {
    const answer = await answerTo(error);
    assert.equal(answer.status, status, error.message);
    assert.deepEqual(answer.body, body, error.message);
  }
});
