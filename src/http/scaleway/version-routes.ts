import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf } from '../auth.js';
import { sendJson, sendNoContent } from '../json.js';
import type { CofferServices } from '../services.js';
import { parseWith } from '../validation.js';
import { optionalText, optionalUuid, pageOf, revisionParam, versionStatuses } from './params.js';
import { presentAccess, presentVersion } from './presenters.js';
import { queryOf, regionOf, secretIdOf } from './secret-routes.js';
import { createVersionSchema, decodeBase64, toEphemeralProperties, updateVersionSchema } from './schemas.js';

const revisionOf = (request: FastifyRequest) => revisionParam((request.params as Record<string, string | undefined>).revision);

/** Version endpoints, payload access included, of Scaleway Secret Manager v1beta1. */
export const registerVersionRoutes = (app: FastifyInstance, { versions, access }: CofferServices): void => {
  const base = '/regions/:region/secrets/:secret_id/versions';

  app.post(base, async (request, reply) => {
    const body = parseWith(createVersionSchema, request.body);
    const region = regionOf(request);
    const version = await versions.create(actorOf(request), region, secretIdOf(request), {
      data: decodeBase64(body.data, 'data'),
      description: body.description ?? null,
      disablePrevious: body.disable_previous ?? null,
      dataCrc32: body.data_crc32 ?? null,
    });
    return sendJson(reply, 200, presentVersion(version, region));
  });

  app.get(base, async (request, reply) => {
    const query = queryOf(request);
    const region = regionOf(request);
    const page = await versions.list(actorOf(request), region, secretIdOf(request), versionStatuses(query), pageOf(query));
    return sendJson(reply, 200, {
      versions: page.items.map((version) => presentVersion(version, region)),
      total_count: page.totalCount,
    });
  });

  app.get(`${base}/:revision`, async (request, reply) => {
    const region = regionOf(request);
    const version = await versions.get(actorOf(request), region, secretIdOf(request), revisionOf(request));
    return sendJson(reply, 200, presentVersion(version, region));
  });

  app.patch(`${base}/:revision`, async (request, reply) => {
    const body = parseWith(updateVersionSchema, request.body ?? {});
    const region = regionOf(request);
    const version = await versions.update(actorOf(request), region, secretIdOf(request), revisionOf(request), {
      description: body.description,
      ephemeralProperties: toEphemeralProperties(body.ephemeral_properties),
    });
    return sendJson(reply, 200, presentVersion(version, region));
  });

  app.delete(`${base}/:revision`, async (request, reply) => {
    await versions.delete(actorOf(request), regionOf(request), secretIdOf(request), revisionOf(request));
    return sendNoContent(reply);
  });

  for (const action of ['enable', 'disable', 'restore'] as const) {
    app.post(`${base}/:revision/${action}`, async (request, reply) => {
      const region = regionOf(request);
      const version = await versions[action](actorOf(request), region, secretIdOf(request), revisionOf(request));
      return sendJson(reply, 200, presentVersion(version, region));
    });
  }

  app.get(`${base}/:revision/access`, async (request, reply) => {
    const accessed = await access.access(actorOf(request), regionOf(request), secretIdOf(request), revisionOf(request));
    return sendJson(reply, 200, presentAccess(accessed));
  });

  app.get('/regions/:region/secrets-by-path/versions/:revision/access', async (request, reply) => {
    const query = queryOf(request);
    const accessed = await access.accessByPath(
      actorOf(request),
      regionOf(request),
      {
        projectId: optionalUuid(optionalText(query, 'project_id'), 'project_id'),
        path: optionalText(query, 'secret_path') ?? '/',
        name: optionalText(query, 'secret_name') ?? '',
      },
      revisionOf(request),
    );
    return sendJson(reply, 200, presentAccess(accessed));
  });
};
