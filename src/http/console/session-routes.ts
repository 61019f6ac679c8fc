import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../../core/iam/index.js';
import { PERMISSION_SETS } from '../../core/iam/index.js';
import type { OpenedSession, SessionService } from '../../core/sessions/index.js';
import { formatMicros } from '../../shared/clock.js';
import { AppError, invalidField } from '../../shared/errors.js';
import { sendJson, sendNoContent } from '../json.js';
import { handleScalewayError } from '../scaleway/errors.js';
import type { CofferServices } from '../services.js';
import { parseWith } from '../validation.js';
import { CSRF_HEADER, SESSION_COOKIE, clearSessionCookies, cookieOf, setSessionCookies, type CookieOptions } from './cookies.js';

const signInSchema = z.object({
  email: z.string().max(320).optional(),
  password: z.string().max(1024).optional(),
  secret_key: z.string().max(64).optional(),
});

const EVERY_ACTION = [...new Set(PERMISSION_SETS.flatMap((set) => set.actions))].sort();

/**
 * What the caller may do somewhere in the organization: the console hides controls for
 * the rest. A hint only: every request is still authorized by the API it reaches.
 */
const allowedActions = (actor: Actor): string[] =>
  actor.grants === null ? EVERY_ACTION : [...new Set(actor.grants.flatMap((grant) => [...grant.actions]))].sort();

const present = (actor: Actor, session: OpenedSession['session'], csrfToken: string, options: SessionRouteOptions) => ({
  label: session.label,
  access_key: actor.accessKey,
  role: actor.role,
  user_id: actor.userId,
  application_id: actor.applicationId,
  organization_id: actor.organizationId,
  default_project_id: actor.defaultProjectId,
  allowed_actions: allowedActions(actor),
  csrf_token: csrfToken,
  created_at: formatMicros(session.createdAt),
  expires_at: formatMicros(session.expiresAt),
  idle_timeout_seconds: options.idleSeconds,
  regions: options.regions,
});

/**
 * Sign-in and sign-out come only from Coffer's own pages: a form on another site could
 * otherwise sign a browser into someone else's session (login CSRF). Browsers say where
 * a request comes from in Sec-Fetch-Site; clients that send none are not browsers.
 */
const refuseCrossSite = (request: FastifyRequest): void => {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new AppError('permission_denied', 'sign-in and sign-out are accepted only from the console itself', { action: 'csrf' });
  }
};

export interface SessionRouteOptions {
  cookies: CookieOptions;
  idleSeconds: number;
  regions: readonly string[];
}

/** Sign-in, the current session, and sign-out, at /coffer/v1/session. */
export const registerSessionRoutes = (app: FastifyInstance, services: CofferServices, sessions: SessionService, options: SessionRouteOptions): void => {
  app.setErrorHandler(handleScalewayError);

  const current = async (request: FastifyRequest): Promise<{ token: string; actor: Actor; session: OpenedSession['session'] }> => {
    const token = cookieOf(request, SESSION_COOKIE);
    if (!token) {
      throw new AppError('unauthenticated', 'not signed in to the console', { authReason: 'invalid_argument' });
    }
    const { secretKey, session } = await sessions.resolve(token);
    return { token, session, actor: await services.iam.authenticate(secretKey, request.ip) };
  };

  app.post('', async (request, reply: FastifyReply) => {
    refuseCrossSite(request);
    const body = parseWith(signInSchema, request.body ?? {});
    let opened: OpenedSession;
    if (body.secret_key !== undefined) {
      opened = await sessions.signInWithApiKey(body.secret_key, request.ip);
    } else if (body.email !== undefined && body.password !== undefined) {
      opened = await sessions.signInWithPassword(body.email, body.password, request.ip);
    } else {
      throw invalidField('body', 'required', 'give email and password, or secret_key');
    }
    const { secretKey } = await sessions.resolve(opened.token);
    const actor = await services.iam.authenticate(secretKey, request.ip);
    setSessionCookies(reply, opened.token, opened.csrfToken, options.cookies);
    reply.header('cache-control', 'no-store');
    return sendJson(reply, 201, present(actor, opened.session, opened.csrfToken, options));
  });

  app.get('', async (request, reply) => {
    const { token, actor, session } = await current(request);
    reply.header('cache-control', 'no-store');
    return sendJson(reply, 200, present(actor, session, sessions.csrfTokenOf(token), options));
  });

  app.delete('', async (request, reply) => {
    refuseCrossSite(request);
    const token = cookieOf(request, SESSION_COOKIE);
    if (token) {
      const given = request.headers[CSRF_HEADER];
      if (!sessions.checkCsrf(token, typeof given === 'string' ? given : undefined)) {
        throw new AppError('permission_denied', 'sign-out needs the session\'s X-CSRF-Token header', { action: 'csrf' });
      }
      await sessions.signOut(token);
    }
    clearSessionCookies(reply, options.cookies);
    return sendNoContent(reply);
  });
};
