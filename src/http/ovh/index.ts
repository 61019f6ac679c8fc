import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, registerAuthentication } from '../auth.js';
import { sendJson } from '../json.js';
import type { CofferServices } from '../services.js';
import { handleOvhError, sendOvhError } from './errors.js';
import { presentMetadata, presentSettings } from './presenters.js';
import { parseConfigBody, parseCreateBody, validateSecretPath } from './schemas.js';
import * as secret from './secret-routes.js';

const PAGE_SIZE = { min: 10, max: 100, default: 100 };

/** The trailing `/version` or `/version/<n>` addresses versions; the rest is the secret's path. */
const splitPath = (wildcard: string): { path: string; versions: boolean; version: number | null } => {
  const one = /^(.+)\/version\/([0-9]+)$/.exec(wildcard);
  if (one?.[1] && one[2]) {
    return { path: one[1], versions: true, version: Number(one[2]) };
  }
  const all = /^(.+)\/version$/.exec(wildcard);
  return all?.[1] ? { path: all[1], versions: true, version: null } : { path: wildcard, versions: false, version: null };
};

const pageSizeOf = (request: FastifyRequest): number => {
  const raw = request.headers['x-pagination-size'];
  const size = typeof raw === 'string' && /^[0-9]+$/.test(raw) ? Number(raw) : PAGE_SIZE.default;
  return Math.min(PAGE_SIZE.max, Math.max(PAGE_SIZE.min, size));
};

/** OVHcloud Secret Manager's regional REST API, mounted at /api/:okmsId/v2. */
export const registerOvhApi = (app: FastifyInstance, services: CofferServices): void => {
  app.setErrorHandler(handleOvhError);
  app.setNotFoundHandler((request, reply) => sendOvhError(reply, 404, 1006, [`no route for ${request.method} ${request.url.split('?')[0] ?? ''}`]));
  registerAuthentication(app, services.iam);

  const scopeOf = async (request: FastifyRequest) => {
    const domain = await services.kv.getDomain(actorOf(request), (request.params as { okmsId?: string }).okmsId ?? '');
    return { projectId: domain.projectId, region: domain.region };
  };
  const callOf = async (request: FastifyRequest, reply: FastifyReply, path: string): Promise<secret.OvhCall> => ({
    services,
    actor: actorOf(request),
    scope: await scopeOf(request),
    path: validateSecretPath(path),
    request,
    reply,
  });

  app.get('/secret', async (request, reply) => {
    const keys = await services.kv.listKeys(actorOf(request), await scopeOf(request));
    const cursorHeader = request.headers['x-pagination-cursor'];
    const after = typeof cursorHeader === 'string' && cursorHeader !== '' ? Buffer.from(cursorHeader, 'base64url').toString('utf8') : null;
    const remaining = after === null ? keys : keys.filter((key) => key.key > after);
    const page = remaining.slice(0, pageSizeOf(request));
    const last = page.at(-1);
    if (last && remaining.length > page.length) {
      reply.header('x-pagination-cursor-next', Buffer.from(last.key, 'utf8').toString('base64url'));
    }
    return sendJson(reply, 200, page.map((metadata) => ({ path: metadata.key, metadata: presentMetadata(metadata) })));
  });

  // An existing path is a conflict: creating writes version 1 with check-and-set 0.
  app.post('/secret', async (request, reply) => {
    const body = parseCreateBody(request.body);
    const call = await callOf(request, reply, body.path);
    await services.kv.write(call.actor, call.scope, call.path, body.data, { cas: 0 });
    if (Object.keys(body.metadata).length > 0) {
      await services.kv.writeMetadata(call.actor, call.scope, call.path, body.metadata);
    }
    const metadata = await services.kv.getMetadata(call.actor, call.scope, call.path);
    return sendJson(reply, 200, { path: call.path, ...(metadata ? { metadata: presentMetadata(metadata) } : {}) });
  });

  app.route({
    method: ['GET', 'PUT', 'POST', 'DELETE'],
    url: '/secret/*',
    handler: async (request, reply) => {
      const target = splitPath((request.params as { '*'?: string })['*'] ?? '');
      const call = await callOf(request, reply, target.path);
      const route = `${request.method} ${target.version !== null ? 'version' : target.versions ? 'versions' : 'secret'}`;
      switch (route) {
        case 'GET secret':
          return secret.getSecret(call);
        case 'PUT secret':
          return secret.updateSecret(call);
        case 'DELETE secret':
          return secret.deleteSecret(call);
        case 'GET versions':
          return secret.listVersions(call);
        case 'POST versions':
          return secret.createVersion(call);
        case 'GET version':
          return secret.getVersion(call, target.version ?? 0);
        case 'PUT version':
          return secret.changeVersionState(call, target.version ?? 0);
        default:
          return sendOvhError(reply, 405, 1011, [`${request.method} is not allowed on this resource`]);
      }
    },
  });

  app.get('/secretConfig', async (request, reply) =>
    sendJson(reply, 200, presentSettings(await services.kv.getSettings(actorOf(request), await scopeOf(request)))),
  );

  app.put('/secretConfig', async (request, reply) => {
    const changes = parseConfigBody(request.body);
    const settings = await services.kv.updateSettings(actorOf(request), await scopeOf(request), changes);
    return sendJson(reply, 200, presentSettings(settings));
  });
};
