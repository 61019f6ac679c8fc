import type { FastifyInstance } from 'fastify';
import type { RotationRecord, RotationRun, RotationService } from '../../core/rotation/index.js';
import { formatMicros, parseTimestampMicros } from '../../shared/clock.js';
import { invalidField } from '../../shared/errors.js';
import { actorOf } from '../auth.js';
import { formatDurationSeconds } from '../go-duration.js';
import { sendJson, sendNoContent } from '../json.js';
import { uuidParam } from '../scaleway/params.js';
import { parseWith } from '../validation.js';
import { generatorOf, intervalOf, methodOf, policySchema, rotateSchema } from './rotation-schemas.js';

const time = (micros: number | null) => (micros === null ? null : formatMicros(micros));

const presentMethod = (record: RotationRecord) => {
  const { method } = record;
  if (method.type === 'webhook') {
    const { url, maxAttempts, timeoutSeconds } = method.webhook;
    return { method: 'webhook', webhook: { url, max_attempts: maxAttempts, timeout_seconds: timeoutSeconds, signing_key_id: record.signingKeyId } };
  }
  const { kind, length, key } = method.generator;
  const extra =
    method.generator.kind === 'password'
      ? { classes: method.generator.classes }
      : method.generator.kind === 'random_bytes'
        ? { encoding: method.generator.encoding }
        : { prefix: method.generator.prefix };
  return { method: 'generator', generator: { kind, length, key, ...extra } };
};

/** Never the signing secret: it is shown once, in the answer to the PUT that made it. */
const presentPolicy = (secretId: string, region: string, record: RotationRecord | null) => ({
  secret_id: secretId,
  region,
  policy:
    record === null
      ? null
      : {
          interval: formatDurationSeconds(record.intervalSeconds),
          interval_seconds: record.intervalSeconds,
          next_rotation_at: time(record.state.nextRotationAt),
          disable_previous: record.disablePrevious,
          created_at: time(record.createdAt),
          ...presentMethod(record),
        },
  state:
    record === null
      ? null
      : {
          rotation_in_progress: record.state.rotationId !== null,
          rotation_id: record.state.rotationId,
          attempts: record.state.attempts,
          last_attempt_at: time(record.state.lastAttemptAt),
          last_rotated_at: time(record.state.lastRotatedAt),
          last_revision: record.state.lastRevision,
          last_failure:
            record.state.lastFailure === null
              ? null
              : { at: time(record.state.lastFailure.at), reason: record.state.lastFailure.reason, message: record.state.lastFailure.message, attempts: record.state.lastFailure.attempts },
          updated_at: time(record.state.updatedAt),
        },
});

const presentRun = (run: RotationRun) => ({
  outcome: run.outcome,
  rotation_id: run.rotationId,
  attempts: run.attempts,
  revision: run.outcome === 'rotated' ? run.revision : null,
  rotated_by_receiver: run.outcome === 'rotated' ? run.byReceiver : null,
  failure: run.outcome === 'rotated' ? null : { at: time(run.failure.at), reason: run.failure.reason, message: run.failure.message },
  next_attempt_at: run.outcome === 'retrying' ? time(run.nextAttemptAt) : null,
});

type Params = { region: string; secret_id?: string };
const BASE = '/regions/:region/secrets/:secret_id';

/** A secret's rotation policy and rotate-now; see docs/lifecycle.md. */
export const registerRotationRoutes = (app: FastifyInstance, rotation: RotationService): void => {
  const target = (params: unknown) => {
    const { region, secret_id: secretId } = params as Params;
    return { region, id: uuidParam(secretId, 'secret_id') };
  };

  app.get(`${BASE}/rotation-policy`, async (request, reply) => {
    const { region, id } = target(request.params);
    const { record } = await rotation.getPolicy(actorOf(request), region, id);
    return sendJson(reply, 200, presentPolicy(id, region, record));
  });

  app.put(`${BASE}/rotation-policy`, async (request, reply) => {
    const { region, id } = target(request.params);
    const body = parseWith(policySchema, request.body ?? {});
    const nextRotationAt = body.next_rotation_at === undefined ? null : parseTimestampMicros(body.next_rotation_at);
    if (body.next_rotation_at !== undefined && nextRotationAt === null) {
      throw invalidField('next_rotation_at', 'format', 'next_rotation_at must be an RFC 3339 timestamp');
    }
    const set = await rotation.setPolicy(actorOf(request), region, id, {
      intervalSeconds: intervalOf(body.interval),
      nextRotationAt,
      method: methodOf(body),
      disablePrevious: body.disable_previous ?? false,
      renewSigningSecret: body.renew_signing_secret ?? false,
    });
    return sendJson(reply, 200, { ...presentPolicy(id, region, set.record), signing_secret: set.signingSecret });
  });

  app.delete(`${BASE}/rotation-policy`, async (request, reply) => {
    const { region, id } = target(request.params);
    await rotation.clearPolicy(actorOf(request), region, id);
    return sendNoContent(reply);
  });

  app.post(`${BASE}/rotate`, async (request, reply) => {
    const { region, id } = target(request.params);
    const body = parseWith(rotateSchema, request.body ?? {});
    const run = await rotation.rotateNow(actorOf(request), region, id, body.generator === undefined ? null : generatorOf(body.generator));
    return sendJson(reply, 200, presentRun(run));
  });
};
