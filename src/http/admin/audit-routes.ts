import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AuditQuery, AuditRecord } from '../../core/audit/index.js';
import { formatMicros, MICROS_PER_SECOND, parseTimestampMicros } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { actorOf } from '../auth.js';
import { sendJson } from '../json.js';
import type { CofferServices } from '../services.js';
import { parseWith } from '../validation.js';

const timestamp = z
  .string()
  .optional()
  .transform((value, context) => {
    if (value === undefined || value === '') {
      return null;
    }
    const micros = parseTimestampMicros(value);
    if (micros === null) {
      context.addIssue({ code: 'custom', message: 'must be an RFC 3339 timestamp' });
    }
    return micros;
  });

const searchSchema = z.object({
  from: timestamp,
  to: timestamp,
  actor: z.string().max(64).optional(),
  secret_id: z.string().uuid().optional(),
  action: z.string().max(64).optional(),
  outcome: z.enum(['success', 'denied', 'failed', 'error']).optional(),
  request_id: z.string().max(64).optional(),
  page_size: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(512).optional(),
});

const rangeSchema = z.object({ from: timestamp, to: timestamp });
const unusedSchema = z.object({ days: z.coerce.number().int().min(1).max(3650), region: z.string().max(16).optional(), project_id: z.string().uuid().optional() });

const cursorOf = (event: AuditRecord): string => Buffer.from(JSON.stringify([event.time, event.chainId, event.seq])).toString('base64url');

const afterOf = (cursor: string | undefined): AuditQuery['after'] => {
  if (cursor === undefined) {
    return null;
  }
  try {
    const [time, chainId, seq] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof time === 'number' && typeof chainId === 'string' && typeof seq === 'number') {
      return { time, chainId, seq };
    }
  } catch {
    // answered below
  }
  throw new AppError('invalid_argument', 'cursor is not one this server gave', { problems: [{ field: 'cursor', reason: 'format', message: 'cursor is not one this server gave' }] });
};

/** An event as the API shows it: snake_case, RFC 3339 time with microseconds. */
const presentEvent = (event: AuditRecord) => ({
  time: formatMicros(event.time),
  request_id: event.requestId,
  api: event.api,
  operation: event.operation,
  action: event.action,
  actor: { access_key: event.actorAccessKey, role: event.actorRole, application_id: event.actorApplicationId, user_id: event.actorUserId, token_hmac: event.actorTokenHmac },
  source_ip: event.sourceIp,
  user_agent: event.userAgent,
  resource: { organization_id: event.organizationId, project_id: event.projectId, region: event.region, secret_id: event.secretId, revision: event.revision, path: event.path },
  outcome: event.outcome,
  status: event.status,
  error_type: event.errorType,
  chain_id: event.chainId,
  seq: event.seq,
  hash: event.hash,
});

const usageTime = (micros: number | null) => (micros === null ? null : formatMicros(micros));

/** Coffer's audit endpoints: search, streamed export, verification, signing keys and usage. All need AuditLogReadOnly. */
export const registerAuditRoutes = (app: FastifyInstance, services: CofferServices): void => {
  const audit = services.audit;

  app.get('/audit/events', async (request, reply) => {
    const query = parseWith(searchSchema, request.query ?? {}, 'query');
    const events = await audit.search(
      actorOf(request),
      {
        from: query.from,
        to: query.to,
        actor: query.actor ?? null,
        secretId: query.secret_id ?? null,
        action: query.action ?? null,
        outcome: query.outcome ?? null,
        requestId: query.request_id ?? null,
        after: afterOf(query.cursor),
      },
      query.page_size,
    );
    const last = events.at(-1);
    // The cursor follows the last event even on a short page, so `tail -f` resumes from it.
    return sendJson(reply, 200, { events: events.map(presentEvent), next_cursor: last ? cursorOf(last) : (query.cursor ?? null), more: events.length === query.page_size });
  });

  // JSON Lines, streamed page by page: an export of millions of events never sits in memory.
  app.get('/audit/export', async (request: FastifyRequest, reply) => {
    const range = parseWith(rangeSchema, request.query ?? {}, 'query');
    const lines = audit.exportLines(actorOf(request), range);
    return reply.header('content-type', 'application/x-ndjson').send(Readable.from(lines));
  });

  app.get('/audit/verify', async (request, reply) => {
    const report = await audit.verify(actorOf(request));
    return sendJson(reply, 200, {
      ok: report.ok,
      events: report.events,
      chains: report.chains,
      checkpoints: report.checkpoints,
      first_break: report.firstBreak && { chain_id: report.firstBreak.chainId, seq: report.firstBreak.seq, message: report.firstBreak.message },
    });
  });

  app.get('/audit/public-keys', async (request, reply) =>
    sendJson(reply, 200, { keys: audit.publicKeys(actorOf(request)).map((key) => ({ key_id: key.keyId, algorithm: 'ed25519', public_key: key.pem })) }),
  );

  app.get('/audit/secrets/:secret_id/usage', async (request, reply) => {
    const { secret_id: secretId } = request.params as { secret_id: string };
    const usage = await audit.secretUsage(actorOf(request), secretId);
    return sendJson(reply, 200, {
      secret_id: secretId,
      access_count: usage.accessCount,
      last_accessed_at: usageTime(usage.lastAccessedAt),
      versions: usage.versions.map((version) => ({ revision: version.revision, access_count: version.accessCount, last_accessed_at: usageTime(version.lastAccessedAt) })),
      readers: usage.readers.map((reader) => ({ access_key: reader.reader, access_count: reader.accessCount, last_accessed_at: usageTime(reader.lastAccessedAt) })),
    });
  });

  // Secrets the caller may list whose payload nobody has read for `days`.
  app.get('/audit/unused-secrets', async (request, reply) => {
    const query = parseWith(unusedSchema, request.query ?? {}, 'query');
    const actor = actorOf(request);
    const region = query.region ?? services.defaultRegion;
    const secrets = await services.secrets.listAll(actor, region, query.project_id ? { projectId: query.project_id } : {});
    const usage = await audit.usageOfSecrets(actor, secrets.map((secret) => secret.id));
    const cutoff = Date.now() * 1000 - query.days * 86_400 * MICROS_PER_SECOND;
    const unused = secrets.filter((secret) => (usage.get(secret.id)?.lastAccessedAt ?? 0) < cutoff);
    return sendJson(reply, 200, {
      secrets: unused.map((secret) => ({
        id: secret.id,
        name: secret.name,
        path: secret.path,
        project_id: secret.projectId,
        region,
        last_accessed_at: usageTime(usage.get(secret.id)?.lastAccessedAt ?? null),
        access_count: usage.get(secret.id)?.accessCount ?? 0,
      })),
      total_count: unused.length,
    });
  });
};
