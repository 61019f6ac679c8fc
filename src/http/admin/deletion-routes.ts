import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DeletionService, LifecycleService, SecretService } from '../../core/secrets/index.js';
import { invalidField } from '../../shared/errors.js';
import { actorOf } from '../auth.js';
import { parseDurationSeconds } from '../go-duration.js';
import { sendJson } from '../json.js';
import { uuidParam } from '../scaleway/params.js';
import { parseWith } from '../validation.js';
import { presentLifecycle } from './lifecycle-routes.js';

const scheduleSchema = z
  .object({
    window_days: z.number().optional(),
    force: z.boolean().optional(),
    confirm: z.string().max(64).optional(),
  })
  .strict();

const deactivateSchema = z.object({ deactivate_version_after: z.union([z.string().max(64), z.number()]) });

type Params = { region: string; secret_id?: string };
const BASE = '/regions/:region/secrets/:secret_id';

/**
 * Pending deletion with a window chosen per request (7 to 30 days), the forced purge
 * (which must repeat the secret id in `confirm`), restore until the window ends, and
 * the age after which versions are deactivated.
 */
export const registerDeletionRoutes = (
  app: FastifyInstance,
  services: { secrets: SecretService; lifecycle: LifecycleService; deletion: DeletionService },
): void => {
  const target = (params: unknown) => {
    const { region, secret_id: secretId } = params as Params;
    return { region, id: uuidParam(secretId, 'secret_id') };
  };

  app.post(`${BASE}/schedule-deletion`, async (request, reply) => {
    const { region, id } = target(request.params);
    const body = parseWith(scheduleSchema, request.body ?? {});
    const outcome = await services.deletion.scheduleDeletion(actorOf(request), region, id, {
      windowDays: body.window_days,
      force: body.force,
      confirm: body.confirm,
    });
    if (outcome.secret === null) {
      return sendJson(reply, 200, { id, region, status: 'purged', purged: true });
    }
    return sendJson(reply, 200, { ...presentLifecycle(outcome.secret), purged: false });
  });

  app.post(`${BASE}/restore`, async (request, reply) => {
    const { region, id } = target(request.params);
    return sendJson(reply, 200, presentLifecycle(await services.secrets.restore(actorOf(request), region, id)));
  });

  app.put(`${BASE}/deactivate-version-after`, async (request, reply) => {
    const { region, id } = target(request.params);
    const body = parseWith(deactivateSchema, request.body ?? {});
    const seconds = parseDurationSeconds(body.deactivate_version_after);
    if (seconds === null) {
      throw invalidField('deactivate_version_after', 'format', 'deactivate_version_after is a duration such as 720h, 30d or 3600 (seconds); 0 turns it off');
    }
    return sendJson(reply, 200, presentLifecycle(await services.lifecycle.setDeactivateVersionAfter(actorOf(request), region, id, seconds)));
  });
};
