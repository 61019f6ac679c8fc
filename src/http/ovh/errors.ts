import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { KV_PRECONDITIONS } from '../../core/kv/index.js';
import { AppError, type ErrorCode } from '../../shared/errors.js';
import { BodyError } from '../app.js';
import { sendJson } from '../json.js';

/** HTTP status and a stable numeric `error_code` per domain error, in OVHcloud's ErrorResponse. */
const STATUS: Record<ErrorCode, { status: number; code: number }> = {
  invalid_argument: { status: 400, code: 1001 },
  failed_precondition: { status: 400, code: 1002 },
  payload_too_large: { status: 413, code: 1003 },
  unauthenticated: { status: 401, code: 1004 },
  permission_denied: { status: 403, code: 1005 },
  not_found: { status: 404, code: 1006 },
  already_exists: { status: 409, code: 1007 },
  unavailable: { status: 503, code: 1008 },
  integrity: { status: 500, code: 1009 },
  internal: { status: 500, code: 1010 },
};

export const sendOvhError = (reply: FastifyReply, status: number, errorCode: number, messages: string[]) =>
  sendJson(reply, status, { error_id: randomUUID(), error_code: errorCode, errors: messages, request_id: reply.request.id });

const messagesOf = (error: AppError): string[] => {
  const problems = error.details.problems ?? [];
  return problems.length > 0 ? problems.map((problem) => (problem.message.startsWith(problem.field) ? problem.message : `${problem.field}: ${problem.message}`)) : [error.message];
};

/** A CAS mismatch is a conflict with the current state: 409, as for an existing path. */
export const handleOvhError = (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
  if (error instanceof BodyError) {
    return sendOvhError(reply, error.statusCode, STATUS.invalid_argument.code, [error.message]);
  }
  if (error instanceof AppError) {
    const mapped = STATUS[error.code];
    const status = error.details.precondition === KV_PRECONDITIONS.casMismatch ? 409 : mapped.status;
    if (status >= 500) {
      request.log.error({ err: error }, 'ovh request failed');
      return sendOvhError(reply, status, mapped.code, [status === 503 ? error.message : 'internal error']);
    }
    return sendOvhError(reply, status, mapped.code, messagesOf(error));
  }
  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 400 && status < 500) {
    return sendOvhError(reply, status, STATUS.invalid_argument.code, [error.message]);
  }
  request.log.error({ err: error }, 'ovh request failed');
  return sendOvhError(reply, 500, STATUS.internal.code, ['internal error']);
};
