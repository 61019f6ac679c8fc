import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { KvScope } from '../../core/kv/index.js';
import { notFound } from '../../shared/errors.js';
import { isUuid } from '../../shared/ids.js';
import { actorOf, registerAuthentication } from '../auth.js';
import { sendJson } from '../json.js';
import type { CofferServices } from '../services.js';
import type { OvhCall, SecretCall } from './call.js';
import { handleOvhError, sendOvhError } from './errors.js';
import { presentSettings } from './presenters.js';
import { parseConfigBody } from './schemas.js';
import { createSecret, deleteSecret, getSecret, listSecrets, updateSecret } from './secret-routes.js';
import { secretTargetOf, type SecretTarget } from './target.js';
import { changeVersionState, createVersion, getVersion, listVersions } from './version-routes.js';

const SECRET_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** `version` is the `{version}` of `/version/{version}` routes, 0 elsewhere. */
type Handler = (call: SecretCall, version: number) => Promise<FastifyReply>;

/** What each method does on a secret, on its versions, and on one version. */
const HANDLERS: Record<SecretTarget['kind'], Partial<Record<string, Handler>>> = {
  secret: { GET: getSecret, PUT: updateSecret, DELETE: deleteSecret },
  versions: { GET: listVersions, POST: createVersion },
  version: { GET: getVersion, PUT: changeVersionState },
};

const TARGET_NAMES: Record<SecretTarget['kind'], string> = { secret: 'a secret', versions: 'the versions of a secret', version: 'a secret version' };

/**
 * OVHcloud Secret Manager's regional REST API, mounted at /api/:okmsId/v2. The okmsId
 * names a domain, a (project, region) activated through /coffer/v1/domains; every
 * request is resolved against it, so an unknown or foreign okmsId is a 404.
 */
export const registerOvhApi = (app: FastifyInstance, services: CofferServices): void => {
  app.setErrorHandler(handleOvhError);
  app.setNotFoundHandler((request, reply) => sendOvhError(reply, 404, [`no route for ${request.method} ${request.url.split('?')[0] ?? ''}`]));
  registerAuthentication(app, services.iam);

  const callOf = async (request: FastifyRequest, reply: FastifyReply): Promise<OvhCall> => {
    const actor = actorOf(request);
    const okmsId = (request.params as { okmsId?: string }).okmsId ?? '';
    if (!isUuid(okmsId)) {
      throw notFound('okms', okmsId.slice(0, 64));
    }
    const domain = await services.kv.getDomain(actor, okmsId);
    const scope: KvScope = { projectId: domain.projectId, region: domain.region };
    return { services, actor, scope, request, reply };
  };

  app.get('/secret', async (request, reply) => listSecrets(await callOf(request, reply)));
  app.post('/secret', async (request, reply) => createSecret(await callOf(request, reply)));

  app.route({
    method: [...SECRET_METHODS],
    url: '/secret/*',
    handler: async (request, reply) => {
      const call = await callOf(request, reply);
      const target = secretTargetOf(request.url);
      const handler = HANDLERS[target.kind][request.method];
      if (!handler) {
        return sendOvhError(reply, 405, [`${request.method} is not allowed on ${TARGET_NAMES[target.kind]}`]);
      }
      return handler({ ...call, path: target.path }, target.kind === 'version' ? target.version : 0);
    },
  });

  app.get('/secretConfig', async (request, reply) => {
    const call = await callOf(request, reply);
    return sendJson(reply, 200, presentSettings(await services.kv.getSettings(call.actor, call.scope)));
  });
  app.put('/secretConfig', async (request, reply) => {
    const call = await callOf(request, reply);
    const changes = parseConfigBody(request.body);
    return sendJson(reply, 200, presentSettings(await services.kv.updateSettings(call.actor, call.scope, changes)));
  });
};
