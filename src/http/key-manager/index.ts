import type { FastifyInstance } from 'fastify';
import { AppError } from '../../shared/errors.js';
import { registerAuthentication } from '../auth.js';
import { handleScalewayError } from '../scaleway/errors.js';
import type { CofferServices } from '../services.js';
import { registerCryptoRoutes } from './crypto-routes.js';
import { registerKeyRoutes } from './key-routes.js';

/** Scaleway Key Manager v1alpha1 (symmetric keys), mounted at /key-manager/v1alpha1, in Scaleway's error envelope. */
export const registerKeyManagerApi = (app: FastifyInstance, services: CofferServices): void => {
  app.setErrorHandler(handleScalewayError);
  app.setNotFoundHandler((request, reply) =>
    handleScalewayError(
      new AppError('not_found', 'no such endpoint', { resource: 'endpoint', resourceId: `${request.method} ${request.url.split('?')[0] ?? ''}` }),
      request,
      reply,
    ),
  );
  registerAuthentication(app, services.iam);
  registerKeyRoutes(app, services);
  registerCryptoRoutes(app, services);
};
