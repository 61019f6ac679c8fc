import type { FastifyInstance } from 'fastify';
import { AppError } from '../../shared/errors.js';
import { actorOf, registerAuthentication } from '../auth.js';
import { sendJson } from '../json.js';
import type { CofferServices } from '../services.js';
import { handleScalewayError } from './errors.js';
import { optionalText, optionalUuid, pageOf } from './params.js';
import { queryOf, regionOf, registerSecretRoutes } from './secret-routes.js';
import { registerVersionRoutes } from './version-routes.js';

/** Scaleway Secret Manager v1beta1, mounted at /secret-manager/v1beta1. */
export const registerScalewayApi = (app: FastifyInstance, services: CofferServices): void => {
  app.setErrorHandler(handleScalewayError);
  app.setNotFoundHandler((request, reply) =>
    handleScalewayError(
      new AppError('not_found', 'no such endpoint', { resource: 'endpoint', resourceId: `${request.method} ${request.url.split('?')[0] ?? ''}` }),
      request,
      reply,
    ),
  );
  registerAuthentication(app, services.iam);
  registerSecretRoutes(app, services);
  registerVersionRoutes(app, services);

  app.get('/regions/:region/tags', async (request, reply) => {
    const query = queryOf(request);
    const projectId = optionalUuid(optionalText(query, 'project_id'), 'project_id');
    const page = await services.secrets.listTags(actorOf(request), regionOf(request), projectId, pageOf(query));
    return sendJson(reply, 200, { tags: page.items, total_count: page.totalCount });
  });

  app.get('/regions/:region/secret-types', async (request, reply) => {
    const query = queryOf(request);
    const projectId = optionalUuid(optionalText(query, 'project_id'), 'project_id');
    const page = await services.secrets.listTypes(actorOf(request), regionOf(request), projectId, pageOf(query));
    return sendJson(reply, 200, { types: page.items, total_count: page.totalCount });
  });
};
