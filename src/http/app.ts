import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type preHandlerHookHandler } from 'fastify';
import { actorIfAny } from './auth.js';
import { registerAdminRoutes } from './admin/key-routes.js';
import { registerAuditTrail } from './audit-trail.js';
import { sendJson } from './json.js';
import { sendOvhError } from './ovh/errors.js';
import { registerAccountApi } from './account/index.js';
import { registerConsole, type ConsoleOptions } from './console/index.js';
import { registerIamApi } from './iam/index.js';
import { registerKeyManagerApi } from './key-manager/index.js';
import { registerOperations, type OperationsOptions } from './observability/index.js';
import { registerOvhApi } from './ovh/index.js';
import { registerScalewayApi } from './scaleway/index.js';
import type { CofferServices } from './services.js';
import { sendErrors } from './vault/envelope.js';
import { answerListVerb } from './vault/list-verb.js';
import { registerVaultApi, type VaultMount } from './vault/index.js';

export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface AppOptions {
  services: CofferServices;
  logger: FastifyBaseLogger;
  vault: { mounts: readonly VaultMount[]; defaultRegion: string };
  /** The web console and its sessions; absent, no cookie authenticates anything. */
  console?: ConsoleOptions;
  /** Probes, metrics and the OpenAPI document (see http/observability). */
  operations?: OperationsOptions;
  /** PEM certificate and key: the listener speaks HTTPS. */
  https?: { cert: Buffer; key: Buffer };
  /** Proxies (addresses, CIDR ranges) whose X-Forwarded-For names the client. */
  trustProxy?: readonly string[];
}

/** Error a body parser reports; every adapter renders it in its own envelope. */
export class BodyError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Builds the HTTP server: one Fastify instance, one body parser, and each wire API
 * mounted as an encapsulated plugin with its own error envelope.
 */
export const buildApp = ({ services, logger, vault, console: consoleOptions, operations, https, trustProxy = [] }: AppOptions): FastifyInstance => {
  const app = Fastify({
    ...(https ? { https } : {}),
    // The client address feeds the failed-authentication throttle and the audit trail.
    ...(trustProxy.length > 0 ? { trustProxy: [...trustProxy] } : {}),
    loggerInstance: logger,
    // Access is recorded by the audit trail, not the operational log.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    return503OnClosing: true,
    // Vault clients send LIST, which Node's parser refuses; this answers it as GET ?list=true.
    clientErrorHandler: answerListVerb,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1024 },
    // Router-level refusals (malformed or over-long URLs) still answer in the envelope of
    // the API the URL belongs to.
    frameworkErrors: (error, request, reply) => {
      const status = typeof error.statusCode === 'number' && error.statusCode < 500 ? error.statusCode : 400;
      const path = request.url;
      if (/^\/api\/[^/]+\/v2\//.test(path)) {
        void sendOvhError(reply, status, [error.message]);
        return;
      }
      if (/^\/(api\/[^/]+\/)?v1\//.test(path)) {
        void sendErrors(reply, status, [error.message]);
        return;
      }
      void sendJson(reply, status, {
        details: [{ argument_name: 'path', help_message: error.message, reason: 'format' }],
        message: 'invalid argument(s)',
        type: 'invalid_arguments',
      });
    },
  });

  if (operations) {
    registerOperations(app, operations);
  }

  // One lenient parser for every content type: Go sends application/json, JS and Python
  // add a charset, Python sends `{}` with none on GET and DELETE. An empty body is no body.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT_BYTES }, (_request, body, done) => {
    const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new BodyError(400, 'the request body is not valid JSON'), undefined);
    }
  });

  // A synchronous hook: an async one costs a promise per request on the hot path.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });

  // Listings warn (an HTTP `Warning` header, in every API) about secrets whose key is
  // scheduled for deletion. Listings are GETs: each GET route gets a last pre-handler,
  // after its API's authentication, that hands the request's actor a sink for them.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes('GET')) {
      return;
    }
    const attachSink: preHandlerHookHandler = (request, reply, done) => {
      const actor = actorIfAny(request);
      if (actor) {
        services.kms.collectWarnings(actor, (warning) => {
          const previous = reply.getHeader('warning');
          const value = `299 coffer "${warning.replaceAll('"', "'")}"`;
          reply.header('warning', previous === undefined ? value : [...(Array.isArray(previous) ? previous : [String(previous)]), value]);
        });
      }
      done();
    };
    const existing = route.preHandler;
    route.preHandler = existing === undefined ? [attachSink] : [...(Array.isArray(existing) ? existing : [existing]), attachSink];
  });

  if (services.recordRequests) {
    registerAuditTrail(app, services.audit);
  }

  app.get('/health', async (_request, reply) => {
    await services.checkHealth();
    return sendJson(reply, 200, { status: 'ok' });
  });

  if (consoleOptions) {
    registerConsole(app, services, consoleOptions);
  }
  app.register(async (scoped) => registerScalewayApi(scoped, services), { prefix: '/secret-manager/v1beta1' });
  app.register(async (scoped) => registerAdminRoutes(scoped, services), { prefix: '/coffer/v1' });
  app.register(async (scoped) => registerIamApi(scoped, services), { prefix: '/iam/v1alpha1' });
  app.register(async (scoped) => registerKeyManagerApi(scoped, services), { prefix: '/key-manager/v1alpha1' });
  app.register(async (scoped) => registerAccountApi(scoped, services), { prefix: '/account/v3' });
  app.register(async (scoped) => registerVaultApi(scoped, services, { ...vault, domainFromParam: false }), { prefix: '/v1' });
  // OVHcloud: each okmsId names a (project, region) domain, with a REST API and a Vault one.
  app.register(async (scoped) => registerVaultApi(scoped, services, { ...vault, domainFromParam: true }), { prefix: '/api/:okmsId/v1' });
  app.register(async (scoped) => registerOvhApi(scoped, services), { prefix: '/api/:okmsId/v2' });

  // Go SDKs ask for this to build SRNs; an external platform answers it like this.
  app.get('/metadata', async (_request, reply) =>
    sendJson(reply, 200, { platform: 'external', partition: 'scw', domain: 'scw.eu' }),
  );

  app.setNotFoundHandler((request, reply) =>
    sendJson(reply, 404, { message: `no route for ${request.method} ${request.url.split('?')[0] ?? ''}`, type: 'not_found' }),
  );
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) {
      request.log.error({ err: error }, 'request failed');
    }
    return sendJson(reply, status, { message: status === 500 ? 'internal error' : error.message, type: 'error' });
  });
  return app;
};
