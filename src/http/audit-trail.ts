import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditEntry, AuditService } from '../core/audit/index.js';
import { AppError } from '../shared/errors.js';
import { openGate, takeGate } from './audit-gate.js';
import { actorIfAny, tokenOf } from './auth.js';
import { PROBE_PATHS } from './observability/index.js';
import { ovhUnavailableBody } from './ovh/errors.js';
import { wireApiOf } from './wire-api.js';

const REFUSAL = 'the audit trail cannot record this request, so it was not served';

/** A 503 in the shape of the API the request was for. */
const refusalFor = (request: FastifyRequest): { status: number; body: string } => {
  const api = wireApiOf(request.url);
  if (api === 'ovh') {
    return { status: 503, body: ovhUnavailableBody(request.id, REFUSAL) };
  }
  if (api === 'vault' || api === 'ovh-vault') {
    return { status: 503, body: JSON.stringify({ errors: [REFUSAL] }) };
  }
  return { status: 503, body: JSON.stringify({ message: 'service is temporarily unavailable', type: 'service_unavailable', help_message: REFUSAL }) };
};

const outcomeOf = (status: number): AuditEntry['outcome'] =>
  status < 400 ? 'success' : status === 401 || status === 403 || status === 429 ? 'denied' : status < 500 ? 'failed' : 'error';

const text = (value: unknown, max: number): string | null => (typeof value === 'string' && value !== '' ? value.slice(0, max) : null);

/** Builds the request's event from what authentication, authorization and routing learned. */
const entryOf = (request: FastifyRequest, status: number, errorType: string | undefined, audit: AuditService): AuditEntry => {
  const actor = actorIfAny(request);
  const note = actor?.note;
  const resource = note?.resource;
  const params = (request.params ?? {}) as Record<string, unknown>;
  const query = (request.query ?? {}) as Record<string, unknown>;
  const token = actor ? undefined : tokenOf(request);
  const revision = note?.revision ?? text(params.revision, 32) ?? text(query.version, 32);
  return {
    requestId: request.id,
    api: wireApiOf(request.url),
    operation: `${request.method} ${request.routeOptions.url ?? '(no route)'}`,
    action: note?.action ?? null,
    actorAccessKey: actor?.accessKey ?? null,
    actorRole: actor?.role ?? null,
    actorApplicationId: actor?.applicationId ?? null,
    actorUserId: actor?.userId ?? null,
    actorTokenHmac: token ? audit.tokenFingerprint(token) : null,
    sourceIp: request.ip,
    userAgent: text(request.headers['user-agent'], 256),
    organizationId: resource?.organizationId ?? actor?.organizationId ?? null,
    projectId: resource?.projectId ?? null,
    region: resource?.region ?? text(params.region, 32),
    secretId: resource?.secretId ?? text(params.secret_id, 64),
    revision: revision === null ? null : String(revision),
    path: resource?.path ?? null,
    outcome: outcomeOf(status),
    status,
    errorType: errorType ?? (status >= 400 ? `http_${status}` : null),
  };
};

/**
 * Every request but the probes (`/health`, `/livez`, `/readyz`, `/metrics`) yields exactly one audit event, written before its answer
 * leaves (see audit-gate.ts). While the trail cannot write, requests are refused up
 * front with 503: nothing runs that could not be recorded.
 */
export const registerAuditTrail = (app: FastifyInstance, audit: AuditService): void => {
  const errorTypes = new WeakMap<FastifyRequest, string>();

  app.addHook('onRequest', (request, reply, done) => {
    // Probes come every few seconds from machines, and /readyz must answer while the trail is down.
    if (PROBE_PATHS.has(request.url)) {
      done();
      return;
    }
    if (!audit.healthy()) {
      const refusal = refusalFor(request);
      reply.code(refusal.status).header('content-type', 'application/json').send(refusal.body);
      return;
    }
    openGate(request, { record: (status) => audit.record(entryOf(request, status, errorTypes.get(request), audit)), refusal: () => refusalFor(request) });
    done();
  });

  app.addHook('onError', (request, _reply, error, done) => {
    errorTypes.set(request, error instanceof AppError ? error.code : 'validation' in error ? 'invalid_argument' : 'http_error');
    done();
  });

  // Answers Fastify writes itself (204s, early refusals, streams) pass here; sendJson's do not.
  app.addHook('onSend', async (request, reply, payload) => {
    const gate = takeGate(request);
    if (!gate) {
      return payload;
    }
    try {
      await gate.record(reply.statusCode);
      return payload;
    } catch {
      const refusal = gate.refusal();
      reply.code(refusal.status).header('content-type', 'application/json');
      return refusal.body;
    }
  });
};
