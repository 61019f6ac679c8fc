import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Project } from '../../core/iam/index.js';
import { formatMicros } from '../../shared/clock.js';
import { actorOf, registerAuthentication } from '../auth.js';
import { sendJson, sendNoContent } from '../json.js';
import { handleScalewayError } from '../scaleway/errors.js';
import type { CofferServices } from '../services.js';
import { parseWith } from '../validation.js';

const createSchema = z.object({
  name: z.string().max(64).optional(),
  description: z.string().max(200).optional(),
  organization_id: z.string().uuid().optional(),
});

const updateSchema = z.object({ name: z.string().max(64).optional(), description: z.string().max(200).optional() });

const present = (project: Project) => ({
  id: project.id,
  name: project.name,
  organization_id: project.organizationId,
  created_at: formatMicros(project.createdAt),
  updated_at: formatMicros(project.updatedAt),
  description: project.description,
});

/** Projects as Scaleway's Account API v3 serves them: create, list, get, update and delete. */
export const registerAccountApi = (app: FastifyInstance, services: CofferServices): void => {
  app.setErrorHandler(handleScalewayError);
  registerAuthentication(app, services.iam);

  app.post('/projects', async (request, reply) => {
    const body = parseWith(createSchema, request.body ?? {});
    const project = await services.iamAdmin.createProject(actorOf(request), { name: body.name ?? `project-${Date.now().toString(36)}`, description: body.description ?? '' });
    return sendJson(reply, 200, present(project));
  });

  app.get('/projects', async (request, reply) => {
    const projects = await services.iamAdmin.listProjects(actorOf(request));
    return sendJson(reply, 200, { projects: projects.map(present), total_count: projects.length });
  });

  app.get('/projects/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    return sendJson(reply, 200, present(await services.iamAdmin.getProject(actorOf(request), id)));
  });

  app.patch('/projects/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const body = parseWith(updateSchema, request.body ?? {});
    return sendJson(reply, 200, present(await services.iamAdmin.updateProject(actorOf(request), id, body)));
  });

  app.delete('/projects/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    await services.iamAdmin.deleteProject(actorOf(request), id);
    return sendNoContent(reply);
  });
};
