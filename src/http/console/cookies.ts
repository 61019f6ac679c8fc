import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'coffer_session';
/** Readable by the console's script, which echoes it in `X-CSRF-Token` (double submit). */
export const CSRF_COOKIE = 'coffer_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** One cookie's value from the request's `Cookie` header. */
export const cookieOf = (request: FastifyRequest, name: string): string | undefined => {
  const header = request.headers.cookie;
  if (typeof header !== 'string') {
    return undefined;
  }
  for (const part of header.split(';')) {
    const split = part.indexOf('=');
    if (split > 0 && part.slice(0, split).trim() === name) {
      return part.slice(split + 1).trim();
    }
  }
  return undefined;
};

export interface CookieOptions {
  secure: boolean;
}

const attributes = ({ secure }: CookieOptions, httpOnly: boolean): string =>
  // No Max-Age: the browser forgets them when it closes; the server ends the session anyway.
  `Path=/; SameSite=Strict${httpOnly ? '; HttpOnly' : ''}${secure ? '; Secure' : ''}`;

export const setSessionCookies = (reply: FastifyReply, token: string, csrfToken: string, options: CookieOptions): void => {
  reply.header('set-cookie', [
    `${SESSION_COOKIE}=${token}; ${attributes(options, true)}`,
    `${CSRF_COOKIE}=${csrfToken}; ${attributes(options, false)}`,
  ]);
};

export const clearSessionCookies = (reply: FastifyReply, options: CookieOptions): void => {
  const expired = 'Max-Age=0';
  reply.header('set-cookie', [
    `${SESSION_COOKIE}=; ${attributes(options, true)}; ${expired}`,
    `${CSRF_COOKIE}=; ${attributes(options, false)}; ${expired}`,
  ]);
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether a request can change something, and so needs the CSRF token when a cookie authenticates it. */
export const isMutating = (request: FastifyRequest): boolean => !SAFE_METHODS.has(request.method);
