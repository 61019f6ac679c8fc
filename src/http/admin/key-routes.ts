import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { admitStream } from '../audit-gate.js';
import { actorOf, registerAuthentication } from '../auth.js';
import { sendJson } from '../json.js';
import { handleScalewayError } from '../scaleway/errors.js';
import type { CofferServices } from '../services.js';
import { registerAuditRoutes } from './audit-routes.js';
import { registerBackupRoutes } from './backup-routes.js';
import { registerCertificateRoutes } from './certificate-routes.js';
import { registerEventRoutes } from './event-routes.js';
import { registerLifecycleRoutes } from './lifecycle-routes.js';
import { registerRotationRoutes } from './rotation-routes.js';
import { registerSchedulerRoutes } from './scheduler-routes.js';
import { registerDeletionRoutes } from './deletion-routes.js';
import { registerDomainRoutes } from './domain-routes.js';
import { parseWith } from '../validation.js';

const rotateSchema = z.object({
  project_id: z.string().uuid().optional(),
  region: z.string().optional(),
});

/**
 * Coffer's own administration endpoints. Key rotation streams progress as NDJSON so a
 * CLI can draw a progress bar while data keys are re-wrapped online.
 */
export const registerAdminRoutes = (app: FastifyInstance, services: CofferServices): void => {
  app.setErrorHandler(handleScalewayError);
  registerAuthentication(app, services.iam);
  registerDomainRoutes(app, services);
  registerBackupRoutes(app, services);
  registerAuditRoutes(app, services);
  registerCertificateRoutes(app, services.certificates);
  registerLifecycleRoutes(app, services.secrets, services.lifecycle);
  if (services.notifications) {
    registerEventRoutes(app, services.notifications);
  }
  registerRotationRoutes(app, services.rotation);
  registerSchedulerRoutes(app, services);
  registerDeletionRoutes(app, services);

  // Any valid key may ask who it is; `coffer iam whoami` shows it.
  app.get('/whoami', async (request, reply) => {
    const actor = actorOf(request);
    return sendJson(reply, 200, {
      access_key: actor.accessKey,
      organization_id: actor.organizationId,
      default_project_id: actor.defaultProjectId,
      role: actor.role,
      application_id: actor.applicationId,
      user_id: actor.userId,
    });
  });

  app.get('/keys', async (request, reply) => {
    const actor = actorOf(request);
    services.iam.authorize(actor, 'keys:kek:read', { organizationId: actor.organizationId });
    const scopes = await services.keys.listScopes();
    return sendJson(reply, 200, { scopes: scopes.map((scope) => ({ project_id: scope.projectId, region: scope.region })) });
  });

  app.post('/keys/rotate', async (request, reply) => {
    const actor = actorOf(request);
    const body = parseWith(rotateSchema, request.body ?? {});
    services.iam.authorize(actor, 'keys:kek:rotate', { organizationId: actor.organizationId });
    const projects = new Set((await services.iam.listProjects(actor)).map((project) => project.id));
    const scopes = (await services.keys.listScopes()).filter(
      (scope) =>
        projects.has(scope.projectId) &&
        (!body.project_id || scope.projectId === body.project_id) &&
        (!body.region || scope.region === body.region),
    );
    reply.hijack();
    if (!(await admitStream(reply, 200))) {
      return reply;
    }
    reply.raw.writeHead(200, { 'content-type': 'application/x-ndjson', 'x-request-id': request.id });
    const write = (line: object) => reply.raw.write(`${JSON.stringify(line)}\n`);
    write({ type: 'start', scopes: scopes.length });
    for (const scope of scopes) {
      const result = await services.keys.rotate(scope, (done, total) =>
        write({ type: 'progress', project_id: scope.projectId, region: scope.region, done, total }),
      );
      write({ type: 'rotated', project_id: scope.projectId, region: scope.region, key_id: result.kekId, generation: result.generation, rewrapped: result.rewrapped });
    }
    write({ type: 'done' });
    reply.raw.end();
    return reply;
  });
};
