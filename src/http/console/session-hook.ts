import type { FastifyInstance } from 'fastify';
import type { SessionService } from '../../core/sessions/index.js';
import { AppError } from '../../shared/errors.js';
import { headerTokenOf, useSessionSecret } from '../auth.js';
import { PROBE_PATHS } from '../observability/index.js';
import { CSRF_HEADER, SESSION_COOKIE, cookieOf, isMutating } from './cookies.js';

/**
 * Paths the cookie does not authenticate: the console's files and sign-in handle it
 * themselves, and an ended session must not make the probes, /metadata or /openapi.json fail.
 */
const ignoresCookie = (url: string): boolean =>
  url === '/console' ||
  url.startsWith('/console/') ||
  url.startsWith('/console?') ||
  url.startsWith(SESSION_PATH) ||
  PROBE_PATHS.has(url) ||
  url === '/metadata' ||
  url === '/openapi.json';

export const SESSION_PATH = '/coffer/v1/session';

/**
 * Lets every API honour a console session: a request with no API key header but a
 * session cookie authenticates as the session's key (see `tokenOf`). A changing request
 * must also carry the session's CSRF token in `X-CSRF-Token`, so another site cannot
 * make the browser send one. Errors reach each API's own error handler, in its shape.
 */
export const registerSessionHook = (app: FastifyInstance, sessions: SessionService): void => {
  app.addHook('onRequest', (request, _reply, done) => {
    const token = cookieOf(request, SESSION_COOKIE);
    // Header keys win, and the fast path stays synchronous for the wire clients.
    if (token === undefined || token === '' || headerTokenOf(request) !== undefined || ignoresCookie(request.url)) {
      done();
      return;
    }
    if (isMutating(request)) {
      const given = request.headers[CSRF_HEADER];
      if (!sessions.checkCsrf(token, typeof given === 'string' ? given : undefined)) {
        done(new AppError('permission_denied', 'this console request lacks a valid X-CSRF-Token header; reload the console', { action: 'csrf' }));
        return;
      }
    }
    sessions.resolve(token).then(
      ({ secretKey }) => {
        useSessionSecret(request, secretKey);
        done();
      },
      (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
    );
  });
};
