import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { secretStatusOf, type LifecycleService, type Secret, type SecretService } from '../../core/secrets/index.js';
import { formatMicros, parseTimestampMicros } from '../../shared/clock.js';
import { formatDurationSeconds } from '../go-duration.js';
import { invalidField } from '../../shared/errors.js';
import { actorOf } from '../auth.js';
import { sendJson } from '../json.js';
import { uuidParam } from '../scaleway/params.js';
import { parseWith } from '../validation.js';

const expirationSchema = z.object({ expires_at: z.string().max(64).nullable() });

const timeOrNull = (micros: number | null) => (micros === null ? null : formatMicros(micros));

/** Scaleway's Secret has no field for these, so Coffer shows them here; its shape stays Scaleway's. */
export const presentLifecycle = (secret: Secret) => {
  const deactivateAfter = secret.kvMetadata?.deleteVersionAfterSeconds ?? 0;
  return {
    id: secret.id,
    region: secret.region,
    status: secretStatusOf(secret),
    disabled_at: timeOrNull(secret.disabledAt),
    expires_at: timeOrNull(secret.expiresAt),
    deletion_requested_at: timeOrNull(secret.deletionRequestedAt),
    deletion_scheduled_at: timeOrNull(secret.deletionRequestedAt),
    purge_at: timeOrNull(secret.purgeAt),
    // OVHcloud's name and Go duration format; 0s: versions are never deactivated for their age.
    deactivate_version_after: formatDurationSeconds(deactivateAfter),
    deactivate_version_after_seconds: deactivateAfter,
  };
};

type Params = { region: string; secret_id?: string };
const BASE = '/regions/:region/secrets/:secret_id';

/** A secret's status (enabled, disabled, scheduled for deletion) and expiration. */
export const registerLifecycleRoutes = (app: FastifyInstance, secrets: SecretService, lifecycle: LifecycleService): void => {
  const target = (params: unknown) => {
    const { region, secret_id: secretId } = params as Params;
    return { region, id: uuidParam(secretId, 'secret_id') };
  };

  app.get(`${BASE}/lifecycle`, async (request, reply) => {
    const { region, id } = target(request.params);
    return sendJson(reply, 200, presentLifecycle(await secrets.get(actorOf(request), region, id)));
  });
  app.post(`${BASE}/disable`, async (request, reply) => {
    const { region, id } = target(request.params);
    return sendJson(reply, 200, presentLifecycle(await lifecycle.disable(actorOf(request), region, id)));
  });
  app.post(`${BASE}/enable`, async (request, reply) => {
    const { region, id } = target(request.params);
    return sendJson(reply, 200, presentLifecycle(await lifecycle.enable(actorOf(request), region, id)));
  });
  app.put(`${BASE}/expiration`, async (request, reply) => {
    const { region, id } = target(request.params);
    const body = parseWith(expirationSchema, request.body ?? {});
    const expiresAt = body.expires_at === null ? null : parseTimestampMicros(body.expires_at);
    if (body.expires_at !== null && expiresAt === null) {
      throw invalidField('expires_at', 'format', 'expires_at must be an RFC 3339 timestamp, or null to remove the expiration');
    }
    return sendJson(reply, 200, presentLifecycle(await lifecycle.setExpiration(actorOf(request), region, id, expiresAt)));
  });
};
