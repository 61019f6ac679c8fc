import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf } from '../auth.js';
import { sendData, sendErrors, sendSysData } from './envelope.js';
import { mountInfo } from './mount-info.js';
import { findMount, type MountedScope } from './mounts.js';


/** The sys and token endpoints KV clients call before or besides KV itself. */
export const registerSysRoutes = (app: FastifyInstance, mounts: readonly MountedScope[]): void => {
  // hvac and node-vault read the mounts both at the top level and under `data`.
  app.get('/sys/mounts', async (_request, reply) =>
    sendSysData(reply, Object.fromEntries(mounts.map(({ mount }) => [`${mount}/`, mountInfo(mount)]))),
  );

  app.get('/sys/mounts/*', async (request, reply) => {
    const path = ((request.params as { '*'?: string })['*'] ?? '').replace(/\/+$/, '');
    const found = mounts.find(({ mount }) => mount === path);
    if (!found) {
      return sendErrors(reply, 400, [`No secret engine mount at ${path}/`]);
    }
    return sendSysData(reply, mountInfo(found.mount));
  });

  // The `vault kv` CLI asks this first to learn that the mount is KV version "2".
  app.get('/sys/internal/ui/mounts/*', async (request, reply) => {
    const path = (request.params as { '*'?: string })['*'] ?? '';
    const found = findMount(mounts, path.replace(/\/+$/, ''))?.mounted;
    if (!found) {
      return sendErrors(reply, 403, [`preflight capability check returned 403, please ensure client's policies grant access to path "${path}/"`]);
    }
    return sendData(reply, { ...mountInfo(found.mount), path: `${found.mount}/` }, [], 'system');
  });

  // External Secrets Operator validates a store with this; the token itself is never echoed.
  const lookupSelf = async (request: FastifyRequest, reply: FastifyReply) => {
    const actor = actorOf(request);
    return sendData(
      reply,
      {
        accessor: actor.accessKey,
        creation_time: 0,
        creation_ttl: 0,
        display_name: `token-${actor.accessKey}`,
        entity_id: '',
        expire_time: null,
        explicit_max_ttl: 0,
        id: '',
        issue_time: '',
        meta: { organization_id: actor.organizationId, default_project_id: actor.defaultProjectId },
        num_uses: 0,
        orphan: true,
        path: 'auth/token/create',
        policies: [actor.role === 'admin' ? 'root' : 'default'],
        renewable: false,
        ttl: 0,
        type: 'service',
      },
      [],
      'token',
    );
  };
  app.get('/auth/token/lookup-self', lookupSelf);
  app.post('/auth/token/lookup-self', lookupSelf);
};
