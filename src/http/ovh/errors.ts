import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { KV_PRECONDITIONS } from '../../core/kv/index.js';
import { AppError, type ErrorCode } from '../../shared/errors.js';
import { BodyError } from '../app.js';
import { sendJson } from '../json.js';

/**
 * OVHcloud's `error_code` is structured: system (byte 3), component (byte 2), category
 * (4 bits) and a 12-bit detail. Its Go SDK decodes it into words, so ours say "REST",
 * "Secrets API" and the right category instead of an arbitrary number.
 */
const SYSTEM_REST = 3;
const COMPONENT_SECRETS_API = 4;
const CATEGORY = {
  internal: 1,
  authentication: 3,
  authorization: 4,
  notFound: 5,
  unavailable: 7,
  badArgument: 8,
  conflict: 10,
} as const;

const errorCode = (category: number, detail: number): number =>
  ((SYSTEM_REST << 24) | (COMPONENT_SECRETS_API << 16) | (category << 12) | detail) >>> 0;

interface Mapping {
  status: number;
  category: number;
  detail: number;
}

const MAPPINGS: Record<ErrorCode, Mapping> = {
  invalid_argument: { status: 400, category: CATEGORY.badArgument, detail: 1 },
  failed_precondition: { status: 400, category: CATEGORY.badArgument, detail: 2 },
  payload_too_large: { status: 413, category: CATEGORY.badArgument, detail: 3 },
  unauthenticated: { status: 401, category: CATEGORY.authentication, detail: 1 },
  permission_denied: { status: 403, category: CATEGORY.authorization, detail: 1 },
  not_found: { status: 404, category: CATEGORY.notFound, detail: 1 },
  already_exists: { status: 409, category: CATEGORY.conflict, detail: 1 },
  rate_limited: { status: 429, category: CATEGORY.unavailable, detail: 2 },
  unavailable: { status: 503, category: CATEGORY.unavailable, detail: 1 },
  integrity: { status: 500, category: CATEGORY.internal, detail: 1 },
  internal: { status: 500, category: CATEGORY.internal, detail: 2 },
};

/** A failed check-and-set is a conflict with the secret's current state, like creating an existing path. */
const CAS_MISMATCH: Mapping = { status: 409, category: CATEGORY.conflict, detail: 2 };

const mappingOfStatus = (status: number): Mapping => {
  switch (status) {
    case 401:
      return MAPPINGS.unauthenticated;
    case 403:
      return MAPPINGS.permission_denied;
    case 404:
      return MAPPINGS.not_found;
    case 409:
      return MAPPINGS.already_exists;
    case 413:
      return MAPPINGS.payload_too_large;
    default:
      return { status, category: CATEGORY.badArgument, detail: 4 };
  }
};

const sendMapped = (reply: FastifyReply, mapping: Mapping, messages: string[]): FastifyReply =>
  sendJson(reply, mapping.status, {
    error_id: randomUUID(),
    error_code: errorCode(mapping.category, mapping.detail),
    errors: messages,
    request_id: reply.request.id,
  });

/** OVHcloud's regional `ErrorResponse` for a refusal decided by the adapter itself. */
export const sendOvhError = (reply: FastifyReply, status: number, messages: string[]): FastifyReply =>
  sendMapped(reply, status >= 500 ? MAPPINGS.internal : mappingOfStatus(status), messages);

/** The service words check-and-set failures as Vault does; here they name the `cas` parameter. */
const PRECONDITION_MESSAGES: Record<string, string> = {
  [KV_PRECONDITIONS.casMismatch]: 'cas does not match the current version of the secret',
  [KV_PRECONDITIONS.casRequired]: 'cas is required: check-and-set is enabled for this secret or its domain',
};

/** One message per invalid field, each naming its field. */
const messagesOf = (error: AppError): string[] => {
  const precondition = error.details.precondition === undefined ? undefined : PRECONDITION_MESSAGES[error.details.precondition];
  if (precondition !== undefined) {
    return [precondition];
  }
  const problems = error.details.problems ?? [];
  if (problems.length === 0) {
    return [error.message];
  }
  return problems.map((problem) => (problem.message.startsWith(problem.field) ? problem.message : `${problem.field}: ${problem.message}`));
};

export const handleOvhError = (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
  if (error instanceof BodyError) {
    return sendOvhError(reply, error.statusCode, [error.message]);
  }
  if (error instanceof AppError) {
    const mapping = error.details.precondition === KV_PRECONDITIONS.casMismatch ? CAS_MISMATCH : MAPPINGS[error.code];
    if (mapping.status >= 500) {
      request.log.error({ err: error }, 'ovh request failed');
      return sendMapped(reply, mapping, [mapping.status === 503 ? error.message : 'internal error']);
    }
    return sendMapped(reply, mapping, messagesOf(error));
  }
  // Fastify's own refusals (body too large, unsupported media type) keep their status.
  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 400 && status < 500) {
    return sendOvhError(reply, status, [error.message]);
  }
  request.log.error({ err: error }, 'ovh request failed');
  return sendMapped(reply, MAPPINGS.internal, ['internal error']);
};

/** OVHcloud's ErrorResponse for a request refused because it could not be audited. */
export const ovhUnavailableBody = (requestId: string, message: string): string =>
  JSON.stringify({ error_id: randomUUID(), error_code: errorCode(MAPPINGS.unavailable.category, MAPPINGS.unavailable.detail), errors: [message], request_id: requestId });
