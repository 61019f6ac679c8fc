import type { FastifyInstance } from 'fastify';
import type { SessionService } from '../../core/sessions/index.js';
import type { CofferServices } from '../services.js';
import type { CookieOptions } from './cookies.js';
import { registerSessionHook, SESSION_PATH } from './session-hook.js';
import { registerSessionRoutes } from './session-routes.js';
import { registerConsoleFiles } from './static-files.js';

export interface ConsoleOptions {
  sessions: SessionService;
  cookies: CookieOptions;
  idleSeconds: number;
  /** The configured regions, for the console's region selector. */
  regions: readonly string[];
}

/** The web console: its files at /console, sign-in at /coffer/v1/session, and session cookies honoured by every API. */
export const registerConsole = (app: FastifyInstance, services: CofferServices, options: ConsoleOptions): void => {
  registerSessionHook(app, options.sessions);
  app.register(async (scoped) => registerSessionRoutes(scoped, services, options.sessions, options), { prefix: SESSION_PATH });
  app.register(async (scoped) => registerConsoleFiles(scoped));
};
