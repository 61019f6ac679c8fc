import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor, IamService } from '../core/iam/index.js';
import { AppError } from '../shared/errors.js';

const actors = new WeakMap<FastifyRequest, Actor>();
const sessionSecrets = new WeakMap<FastifyRequest, string>();

/** The API key a console session cookie stands for (http/console sets it before authentication). */
export const useSessionSecret = (request: FastifyRequest, secretKey: string): void => {
  sessionSecrets.set(request, secretKey);
};

/** The caller's API secret key from a header any API uses; only the headers, never a session. */
export const headerTokenOf = (request: FastifyRequest): string | undefined => {
  const header = request.headers['x-auth-token'] ?? request.headers['x-vault-token'];
  if (typeof header === 'string' && header !== '') {
    return header;
  }
  const authorization = request.headers.authorization;
  return authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : undefined;
};

/**
 * Reads the caller's API secret key from the headers each wire API uses, or else from
 * the console session: the session acts as one API key, so it has that key's rights.
 */
export const tokenOf = (request: FastifyRequest): string | undefined => headerTokenOf(request) ?? sessionSecrets.get(request);

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
