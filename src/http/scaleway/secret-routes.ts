import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf } from '../auth.js';
import { sendJson, sendNoContent } from '../json.js';
import type { CofferServices } from '../services.js';
import { parseWith } from '../validation.js';
import {
  many,
  optionalBoolean,
  optionalText,
  optionalUuid,
  orderOf,
  pageOf,
  parseSecretType,
  secretTypeFilter,
  uuidParam,
  type Query,
} from './params.js';
import { presentBrowseItem, presentSecret } from './presenters.js';
import { addOwnerSchema, createSecretSchema, toEphemeralPolicy, updateSecretSchema } from './schemas.js';

type Params = Record<string, string | undefined>;

export const regionOf = (request: FastifyRequest): string => (request.params as Params).region ?? '';
export const secretIdOf = (request: FastifyRequest): string => uuidParam((request.params as Params).secret_id, 'secret_id');
export const queryOf = (request: FastifyRequest): Query => request.query as Query;

/** Secret-level endpoints of Scaleway Secret Manager v1beta1. */
export const registerSecretRoutes = (app: FastifyInstance, { secrets, browse }: CofferServices): void => {
  app.post('/regions/:region/secrets', async (request, reply) => {
    const body = parseWith(createSecretSchema, request.body);
    const type = !body.type || body.type === 'unknown_type' ? 'opaque' : parseSecretType(body.type, 'type');
    const secret = await secrets.create(actorOf(request), regionOf(request), {
      projectId: optionalUuid(body.project_id, 'project_id'),
      name: body.name,
      tags: body.tags ?? null,
      description: body.description ?? null,
      type,
      path: body.path ?? null,
      ephemeralPolicy: toEphemeralPolicy(body.ephemeral_policy),
      protected: body.protected ?? false,
      keyId: optionalUuid(body.key_id, 'key_id'),
    });
    return sendJson(reply, 200, presentSecret(secret));
  });

  app.get('/regions/:region/secrets', async (request, reply) => {
    const query = queryOf(request);
    const page = await secrets.list(
      actorOf(request),
      regionOf(request),
      {
        projectId: optionalUuid(optionalText(query, 'project_id'), 'project_id'),
        name: optionalText(query, 'name'),
        path: optionalText(query, 'path'),
        tags: many(query, 'tags'),
        type: secretTypeFilter(query),
        ephemeral: optionalBoolean(query, 'ephemeral'),
        scheduledForDeletion: optionalBoolean(query, 'scheduled_for_deletion') ?? false,
        order: orderOf(query),
      },
      pageOf(query),
    );
    return sendJson(reply, 200, { secrets: page.items.map(presentSecret), total_count: page.totalCount });
  });

  app.get('/regions/:region/secrets/browse', async (request, reply) => {
    const query = queryOf(request);
    const result = await browse.browse(
      actorOf(request),
      regionOf(request),
      {
        projectId: optionalUuid(optionalText(query, 'project_id'), 'project_id'),
        prefix: optionalText(query, 'prefix'),
        tags: many(query, 'tags'),
        type: secretTypeFilter(query),
        order: orderOf(query),
      },
      pageOf(query),
    );
    return sendJson(reply, 200, {
      items: result.items.map(presentBrowseItem),
      current_path: result.currentPath,
      total_count: result.totalCount,
    });
  });

  app.get('/regions/:region/secrets/:secret_id', async (request, reply) =>
    sendJson(reply, 200, presentSecret(await secrets.get(actorOf(request), regionOf(request), secretIdOf(request)))),
  );

  app.patch('/regions/:region/secrets/:secret_id', async (request, reply) => {
    const body = parseWith(updateSecretSchema, request.body ?? {});
    const secret = await secrets.update(actorOf(request), regionOf(request), secretIdOf(request), {
      name: body.name,
      tags: body.tags,
      description: body.description,
      path: body.path,
      ephemeralPolicy: body.ephemeral_policy === undefined ? undefined : toEphemeralPolicy(body.ephemeral_policy),
    });
    return sendJson(reply, 200, presentSecret(secret));
  });

  app.delete('/regions/:region/secrets/:secret_id', async (request, reply) => {
    await secrets.delete(actorOf(request), regionOf(request), secretIdOf(request));
    return sendNoContent(reply);
  });

  app.post('/regions/:region/secrets/:secret_id/protect', async (request, reply) =>
    sendJson(reply, 200, presentSecret(await secrets.protect(actorOf(request), regionOf(request), secretIdOf(request)))),
  );

  app.post('/regions/:region/secrets/:secret_id/unprotect', async (request, reply) =>
    sendJson(reply, 200, presentSecret(await secrets.unprotect(actorOf(request), regionOf(request), secretIdOf(request)))),
  );

  app.post('/regions/:region/secrets/:secret_id/restore', async (request, reply) =>
    sendJson(reply, 200, presentSecret(await secrets.restore(actorOf(request), regionOf(request), secretIdOf(request)))),
  );

  app.post('/regions/:region/secrets/:secret_id/add-owner', async (request, reply) => {
    const body = parseWith(addOwnerSchema, request.body);
    await secrets.addOwner(actorOf(request), regionOf(request), secretIdOf(request), body.product);
    return sendNoContent(reply);
  });
};
