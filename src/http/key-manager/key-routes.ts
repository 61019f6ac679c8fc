import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { KeyOrder } from '../../core/kms/index.js';
import { invalidField } from '../../shared/errors.js';
import { actorOf } from '../auth.js';
import { sendJson, sendNoContent } from '../json.js';
import { many, optionalBoolean, optionalText, optionalUuid, pageOf, uuidParam, type Query } from '../scaleway/params.js';
import type { CofferServices } from '../services.js';
import { parseWith } from '../validation.js';
import { presentKey, presentProgress } from './presenters.js';
import { algorithmOf, createKeySchema, rotationPolicyOf, updateKeySchema } from './schemas.js';

type Params = Record<string, string | undefined>;

export const regionOf = (request: FastifyRequest): string => (request.params as Params).region ?? '';
export const keyIdOf = (request: FastifyRequest): string => uuidParam((request.params as Params).key_id, 'key_id');
const queryOf = (request: FastifyRequest): Query => request.query as Query;

const KEY_ORDERS: readonly KeyOrder[] = ['name_asc', 'name_desc', 'created_at_asc', 'created_at_desc', 'updated_at_asc', 'updated_at_desc'];

const orderOf = (query: Query): KeyOrder => {
  const value = optionalText(query, 'order_by') ?? 'created_at_asc';
  const found = KEY_ORDERS.find((order) => order === value);
  if (!found) {
    throw invalidField('order_by', 'constraint', `order_by must be one of ${KEY_ORDERS.join(', ')}`);
  }
  return found;
};

/** Key lifecycle endpoints of Scaleway Key Manager v1alpha1, and Coffer's re-wrap progress. */
export const registerKeyRoutes = (app: FastifyInstance, { kms }: CofferServices): void => {
  app.post('/regions/:region/keys', async (request, reply) => {
    const body = parseWith(createKeySchema, request.body ?? {});
    const key = await kms.create(actorOf(request), regionOf(request), {
      projectId: optionalUuid(body.project_id, 'project_id'),
      name: body.name ?? null,
      description: body.description ?? null,
      tags: body.tags ?? null,
      algorithm: algorithmOf(body.usage),
      rotationPolicy: rotationPolicyOf(body.rotation_policy),
      unprotected: body.unprotected ?? false,
      origin: !body.origin || body.origin === 'unknown_origin' ? null : body.origin,
    });
    return sendJson(reply, 200, presentKey(key));
  });

  app.get('/regions/:region/keys', async (request, reply) => {
    const query = queryOf(request);
    const usage = optionalText(query, 'usage');
    if (usage !== null && usage !== 'unknown_usage' && usage !== 'symmetric_encryption' && usage !== 'asymmetric_encryption' && usage !== 'asymmetric_signing') {
      throw invalidField('usage', 'constraint', 'usage must be symmetric_encryption, asymmetric_encryption or asymmetric_signing');
    }
    const page = await kms.list(
      actorOf(request),
      regionOf(request),
      {
        projectId: optionalUuid(optionalText(query, 'project_id'), 'project_id'),
        name: optionalText(query, 'name'),
        tags: many(query, 'tags'),
        scheduledForDeletion: optionalBoolean(query, 'scheduled_for_deletion') ?? false,
        order: orderOf(query),
      },
      pageOf(query),
    );
    // Every key is symmetric: a filter on another usage matches none.
    const asymmetric = usage === 'asymmetric_encryption' || usage === 'asymmetric_signing';
    return sendJson(reply, 200, { keys: asymmetric ? [] : page.items.map(presentKey), total_count: asymmetric ? 0 : page.totalCount });
  });

  app.get('/regions/:region/keys/:key_id', async (request, reply) =>
    sendJson(reply, 200, presentKey(await kms.get(actorOf(request), regionOf(request), keyIdOf(request)))),
  );

  app.patch('/regions/:region/keys/:key_id', async (request, reply) => {
    const body = parseWith(updateKeySchema, request.body ?? {});
    const key = await kms.update(actorOf(request), regionOf(request), keyIdOf(request), {
      name: body.name ?? undefined,
      description: body.description ?? undefined,
      tags: body.tags ?? undefined,
      rotationPolicy: rotationPolicyOf(body.rotation_policy) ?? undefined,
    });
    return sendJson(reply, 200, presentKey(key));
  });

  // Scaleway answers DeleteKey with no body. `force=true` is Coffer's: it deletes a key that still protects secrets.
  app.delete('/regions/:region/keys/:key_id', async (request, reply) => {
    const force = optionalBoolean(queryOf(request), 'force') ?? false;
    await kms.delete(actorOf(request), regionOf(request), keyIdOf(request), force);
    return sendNoContent(reply);
  });

  const action = (path: string, run: (request: FastifyRequest) => ReturnType<typeof kms.get>) =>
    app.post(`/regions/:region/keys/:key_id/${path}`, async (request, reply) => sendJson(reply, 200, presentKey(await run(request))));
  action('protect', (request) => kms.setProtected(actorOf(request), regionOf(request), keyIdOf(request), true));
  action('unprotect', (request) => kms.setProtected(actorOf(request), regionOf(request), keyIdOf(request), false));
  action('enable', (request) => kms.setEnabled(actorOf(request), regionOf(request), keyIdOf(request), true));
  action('disable', (request) => kms.setEnabled(actorOf(request), regionOf(request), keyIdOf(request), false));
  action('restore', (request) => kms.restore(actorOf(request), regionOf(request), keyIdOf(request)));
  action('rotate', (request) => kms.rotate(actorOf(request), regionOf(request), keyIdOf(request)));

  // Coffer's: how far the background re-wrap after a rotation has got.
  app.get('/regions/:region/keys/:key_id/rewrap', async (request, reply) =>
    sendJson(reply, 200, presentProgress(await kms.rewrapProgress(actorOf(request), regionOf(request), keyIdOf(request)))),
  );
};
