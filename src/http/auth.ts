import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor, IamService } from '../core/iam/index.js';
import { AppError } from '../shared/errors.js';

const actors = new WeakMap<FastifyRequest, Actor>();

/** Reads the caller's API secret key from the headers each wire API uses. */
export const tokenOf = (request: FastifyRequest): string | undefined => {
  const header = request.headers['x-auth-token'] ?? request.headers['x-vault-token'];
  if (typeof header === 'string' && header !== '') {
    return header;
  }
  const authorization = request.headers.authorization;
  return authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : undefined;
};

/** Authenticates every request of the plugin it is registered in. */
export const registerAuthentication = (app: FastifyInstance, iam: Pick<IamService, 'authenticate'>): void => {
  app.addHook('preHandler', async (request, reply) => {
    try {
      actors.set(request, await iam.authenticate(tokenOf(request), request.ip));
    } catch (error) {
      // Every API's error handler sends the reply's headers with its own body.
      if (error instanceof AppError && error.code === 'rate_limited') {
        reply.header('retry-after', String(error.details.retryAfterSeconds ?? 60));
      }
      throw error;
    }
  });
};

export const actorOf = (request: FastifyRequest): Actor => {
  const actor = actors.get(request);
  if (!actor) {
    throw new AppError('unauthenticated', 'the request was not authenticated');
  }
  return actor;
};

/** The caller, when the request got as far as authenticating; for its audit event. */
export const actorIfAny = (request: FastifyRequest): Actor | undefined => actors.get(request);
