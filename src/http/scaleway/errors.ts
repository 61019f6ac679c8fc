import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../../shared/errors.js';
import { sendJson } from '../json.js';

type Body = Record<string, unknown>;

/** Scaleway's error envelope per domain error code, with the fields its SDKs need to type errors. */
const presenters: Record<ErrorCode, { status: number; body: (error: AppError) => Body }> = {
  invalid_argument: {
    status: 400,
    body: (error) => ({
      details: (error.details.problems ?? [{ field: 'body', reason: 'format', message: error.message }]).map((problem) => ({
        argument_name: problem.field,
        help_message: problem.message,
        reason: problem.reason,
      })),
      message: 'invalid argument(s)',
      type: 'invalid_arguments',
    }),
  },
  not_found: {
    status: 404,
    body: (error) => ({
      message: 'resource is not found',
      resource: error.details.resource ?? 'unknown',
      resource_id: error.details.resourceId ?? '',
      type: 'not_found',
    }),
  },
  already_exists: {
    status: 409,
    body: (error) => ({
      help_message: error.message,
      message: 'resource already exists',
      resource: error.details.resource ?? 'secret',
      resource_id: error.details.resourceId ?? '',
      type: 'already_exists',
    }),
  },
  failed_precondition: {
    status: 412,
    body: (error) => ({
      help_message: error.message,
      message: 'precondition is not respected',
      precondition: error.details.precondition ?? 'unknown_precondition',
      type: 'precondition_failed',
    }),
  },
  unauthenticated: {
    status: 401,
    body: (error) => ({
      message: 'authentication is denied',
      method: 'api_key',
      reason: error.details.authReason ?? 'invalid_argument',
      type: 'denied_authentication',
    }),
  },
  permission_denied: {
    status: 403,
    body: (error) => ({
      details: [{ action: error.details.action ?? 'unknown', resource: error.details.resource ?? 'secret' }],
      message: 'insufficient permissions',
      type: 'permissions_denied',
    }),
  },
  payload_too_large: { status: 413, body: (error) => ({ message: error.message, type: 'invalid_request_error' }) },
  rate_limited: {
    status: 429,
    body: (error) => ({
      help_message: error.message,
      limit: { quota: error.details.limit?.quota ?? 0, window_seconds: error.details.limit?.windowSeconds ?? 0 },
      message: 'too many requests',
      reset_seconds: error.details.retryAfterSeconds ?? 0,
      type: 'too_many_requests',
    }),
  },
  unavailable: { status: 503, body: () => ({ message: 'service is temporarily unavailable', type: 'service_unavailable' }) },
  integrity: { status: 500, body: (error) => ({ message: error.message, type: 'integrity_error' }) },
  internal: { status: 500, body: () => ({ message: 'internal error', type: 'internal_error' }) },
};

/** Framework errors (body too large, unsupported media) keep their 4xx status in Scaleway's shape. */
const fromFrameworkError = (error: FastifyError): AppError | null => {
  const status = error.statusCode ?? 500;
  if (status >= 500) {
    return null;
  }
  const reason = status === 413 ? 'constraint' : 'format';
  return new AppError('invalid_argument', error.message, { problems: [{ field: 'body', reason, message: error.message }] });
};

export const handleScalewayError = (error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) => {
  const appError = error instanceof AppError ? error : fromFrameworkError(error);
  if (!appError) {
    request.log.error({ err: error }, 'request failed');
    return sendJson(reply, 500, { message: 'internal error', request_id: request.id, type: 'internal_error' });
  }
  const presenter = presenters[appError.code];
  if (presenter.status >= 500) {
    request.log.error({ err: appError, cause: appError.cause }, 'request failed');
  }
  const status = error instanceof AppError ? presenter.status : ((error as FastifyError).statusCode ?? 400);
  return sendJson(reply, status, presenter.body(appError));
};
