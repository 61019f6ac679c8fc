import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { KV_PRECONDITIONS } from '../../core/kv/index.js';
import { AppError } from '../../shared/errors.js';
import { BodyError } from '../app.js';
import { sendErrors } from './envelope.js';
import { VaultRequestError } from './fields.js';

/** go-multierror's text, which Vault clients print as is. */
export const multiError = (messages: readonly string[]): string =>
  `${messages.length} error${messages.length === 1 ? '' : 's'} occurred:\n${messages.map((message) => `\t* ${message}`).join('\n')}\n\n`;

export const PERMISSION_DENIED = multiError(['permission denied']);
export const INVALID_TOKEN = multiError(['permission denied', 'invalid token']);

const invalidArgument = (error: AppError): string => {
  const problems = error.details.problems ?? [];
  if (problems.length > 0 && problems.every((problem) => problem.field === 'custom_metadata')) {
    return multiError(problems.map((problem) => `custom_metadata validation failed: ${problem.message}`));
  }
  return problems.length === 1 && problems[0] ? problems[0].message : error.message;
};

// The adapter owns its wire strings: the service's reason codes, in Vault's words.
const PRECONDITION_MESSAGES: Record<string, string> = {
  [KV_PRECONDITIONS.casMismatch]: 'check-and-set parameter did not match the current version',
  [KV_PRECONDITIONS.casRequired]: 'check-and-set parameter required for this call',
};

/** Domain errors in Vault's words and statuses; 5xx only for what is really ours. */
export const handleVaultError = (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
  if (error instanceof VaultRequestError) {
    return sendErrors(reply, error.status, [error.message]);
  }
  if (error instanceof BodyError) {
    return sendErrors(reply, error.statusCode, [`failed to parse JSON input: ${error.message}`]);
  }
  if (error instanceof AppError) {
    switch (error.code) {
      case 'invalid_argument':
        return sendErrors(reply, 400, [invalidArgument(error)]);
      case 'not_found':
        return sendErrors(reply, 404, []);
      case 'failed_precondition':
        return sendErrors(reply, 400, [PRECONDITION_MESSAGES[error.details.precondition ?? ''] ?? error.message]);
      case 'already_exists':
        return sendErrors(reply, 400, [error.message]);
      case 'unauthenticated':
        return sendErrors(reply, 403, [INVALID_TOKEN]);
      case 'permission_denied':
        return sendErrors(reply, 403, [PERMISSION_DENIED]);
      case 'payload_too_large':
        return sendErrors(reply, 413, [error.message]);
      case 'rate_limited':
        // Vault's own words for a rate-limit refusal.
        return sendErrors(reply, 429, ['rate limit quota exceeded']);
      case 'unavailable':
        return sendErrors(reply, 503, [error.message]);
      default:
        break;
    }
  }
  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 400 && status < 500) {
    return sendErrors(reply, status, [status === 413 ? 'http: request body too large' : error.message]);
  }
  request.log.error({ err: error }, 'vault request failed');
  return sendErrors(reply, 500, ['internal error']);
};
