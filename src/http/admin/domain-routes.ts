import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { KvDomain } from '../../core/kv/index.js';
import { formatMicros } from '../../shared/clock.js';
import { actorOf } from '../auth.js';
import { sendJson } from '../json.js';
import type { CofferServices } from '../services.js';
import { parseWith } from '../validation.js';

const activateSchema = z.object({
  region: z.string().min(1),
  project_id: z.string().uuid().optional(),
});

const present = (domain: KvDomain) => ({
  id: domain.id,
  project_id: domain.projectId,
  region: domain.region,
  created_at: formatMicros(domain.createdAt),
});

/**
 * Region activation, as in OVHcloud's console: it creates the domain of a project in a
 * region, whose id is the `okmsId` of the OVHcloud APIs. Activating twice is harmless.
 */
export const registerDomainRoutes = (app: FastifyInstance, services: CofferServices): void => {
  app.post('/domains', async (request, reply) => {
    const body = parseWith(activateSchema, request.body ?? {});
    const domain = await services.kv.activateDomain(actorOf(request), body.project_id ?? null, body.region);
    return sendJson(reply, 200, present(domain));
  });

  app.get('/domains', async (request, reply) =>
    sendJson(reply, 200, { domains: (await services.kv.listDomains(actorOf(request))).map(present) }),
  );

  app.get('/domains/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    return sendJson(reply, 200, present(await services.kv.getDomain(actorOf(request), id)));
  });
};
