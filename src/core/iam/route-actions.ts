import type { Action } from './iam-model.js';

export interface RouteRights {
  api: 'scaleway' | 'vault' | 'ovh' | 'iam' | 'account' | 'coffer' | 'key-manager';
  method: string;
  /** `{secret}`, `{key}` and `{version}` stand for an existing secret, KV key and revision. */
  path: string;
  /** Every action the call needs; a caller must hold them all. */
  actions: readonly Action[];
}

const SCW = '/secret-manager/v1beta1/regions/fr-par';
const KMS = '/key-manager/v1alpha1/regions/fr-par';
/** A public key to seal exports to; nobody holds its secret key. */
const RECIPIENT = 'coffer-x25519-public:oyE4yfr7fkwgobM6qd7fGtAz1SVa2QviAQCXFMcXykQ';

/**
 * The documentation of record for authorization: what each route asks the authorize
 * seam for. The authorization matrix test calls every route here with every permission
 * set and checks that the server allows exactly what this table and the sets imply.
 */
export const ROUTE_ACTIONS: readonly RouteRights[] = [
  { api: 'scaleway', method: 'GET', path: `${SCW}/secrets?project_id={project}`, actions: ['secrets:secret:list'] },
  { api: 'scaleway', method: 'GET', path: `${SCW}/secrets/{secret}`, actions: ['secrets:secret:read'] },
  { api: 'scaleway', method: 'POST', path: `${SCW}/secrets`, actions: ['secrets:secret:create'] },
  { api: 'scaleway', method: 'PATCH', path: `${SCW}/secrets/{secret}`, actions: ['secrets:secret:update'] },
  { api: 'scaleway', method: 'POST', path: `${SCW}/secrets/{secret}/protect`, actions: ['secrets:secret:update'] },
  { api: 'scaleway', method: 'DELETE', path: `${SCW}/secrets/{secret}`, actions: ['secrets:secret:delete'] },
  { api: 'scaleway', method: 'GET', path: `${SCW}/secrets/{secret}/versions`, actions: ['secrets:secret:read'] },
  { api: 'scaleway', method: 'POST', path: `${SCW}/secrets/{secret}/versions`, actions: ['secrets:version:create'] },
  { api: 'scaleway', method: 'GET', path: `${SCW}/secrets/{secret}/versions/{version}`, actions: ['secrets:secret:read'] },
  { api: 'scaleway', method: 'GET', path: `${SCW}/secrets/{secret}/versions/{version}/access`, actions: ['secrets:version:access'] },
  { api: 'scaleway', method: 'POST', path: `${SCW}/secrets/{secret}/versions/{version}/disable`, actions: ['secrets:version:update'] },
  { api: 'scaleway', method: 'DELETE', path: `${SCW}/secrets/{secret}/versions/{version}`, actions: ['secrets:version:delete'] },
  { api: 'vault', method: 'GET', path: '/v1/secret/data/{key}', actions: ['secrets:version:access'] },
  { api: 'vault', method: 'POST', path: '/v1/secret/data/{key}', actions: ['secrets:version:create'] },
  { api: 'vault', method: 'GET', path: '/v1/secret/metadata/{key}', actions: ['secrets:secret:read'] },
  { api: 'vault', method: 'POST', path: '/v1/secret/delete/{key}', actions: ['secrets:version:update'] },
  { api: 'vault', method: 'DELETE', path: '/v1/secret/metadata/{key}', actions: ['secrets:secret:delete'] },
  // OVHcloud: resolving the okmsId (the domain) needs the list right on its project.
  { api: 'ovh', method: 'GET', path: '/api/{okms}/v2/secret', actions: ['secrets:secret:list'] },
  { api: 'ovh', method: 'GET', path: '/api/{okms}/v2/secret/{key}', actions: ['secrets:secret:list', 'secrets:secret:read'] },
  { api: 'ovh', method: 'GET', path: '/api/{okms}/v2/secret/{key}?includeData=true', actions: ['secrets:secret:list', 'secrets:secret:read', 'secrets:version:access'] },
  { api: 'ovh', method: 'PUT', path: '/api/{okms}/v2/secret/{key}/version/{version}', actions: ['secrets:secret:list', 'secrets:secret:read', 'secrets:version:update'] },
  { api: 'ovh', method: 'GET', path: '/api/{okms}/v2/secretConfig', actions: ['secrets:secret:list', 'secrets:secret:read'] },
  { api: 'iam', method: 'GET', path: '/iam/v1alpha1/applications', actions: ['iam:read'] },
  { api: 'iam', method: 'POST', path: '/iam/v1alpha1/applications', actions: ['iam:write'] },
  { api: 'iam', method: 'GET', path: '/iam/v1alpha1/users', actions: ['iam:read'] },
  { api: 'iam', method: 'POST', path: '/iam/v1alpha1/groups', actions: ['iam:write'] },
  { api: 'iam', method: 'GET', path: '/iam/v1alpha1/policies', actions: ['iam:read'] },
  { api: 'account', method: 'POST', path: '/account/v3/projects', actions: ['projects:project:create'] },
  { api: 'account', method: 'PATCH', path: '/account/v3/projects/{project}', actions: ['projects:project:update'] },
  { api: 'coffer', method: 'GET', path: '/coffer/v1/keys', actions: ['keys:kek:read'] },
  { api: 'coffer', method: 'GET', path: '/coffer/v1/backup', actions: ['store:backup:read'] },
  // A prefix no secret has: the matrix checks the rights, not the sealing of its many secrets.
  { api: 'coffer', method: 'GET', path: `/coffer/v1/export?project_id={project}&path_prefix=/no-such-folder&recipient=${RECIPIENT}`, actions: ['secrets:version:access', 'secrets:secret:list'] },
  { api: 'coffer', method: 'GET', path: '/coffer/v1/regions/fr-par/events?since=0', actions: ['secrets:event:list'] },
  { api: 'coffer', method: 'GET', path: '/coffer/v1/webhooks', actions: ['secrets:webhook:manage'] },
  { api: 'coffer', method: 'POST', path: '/coffer/v1/webhooks', actions: ['secrets:webhook:manage'] },
  { api: 'coffer', method: 'PUT', path: '/coffer/v1/regions/fr-par/secrets/{secret}/rotation-policy', actions: ['secrets:secret:rotate'] },
  { api: 'coffer', method: 'GET', path: '/coffer/v1/regions/fr-par/secrets/{secret}/rotation-policy', actions: ['secrets:secret:read'] },
  { api: 'coffer', method: 'DELETE', path: '/coffer/v1/regions/fr-par/secrets/{secret}/rotation-policy', actions: ['secrets:secret:rotate'] },
  // Without a policy, rotate takes a one-off generator in its body (the matrix sends one).
  { api: 'coffer', method: 'POST', path: '/coffer/v1/regions/fr-par/secrets/{secret}/rotate', actions: ['secrets:secret:rotate'] },
  { api: 'coffer', method: 'POST', path: '/coffer/v1/regions/fr-par/secrets/{secret}/schedule-deletion', actions: ['secrets:secret:delete'] },
  // The matrix schedules the secret's deletion first, so that there is something to restore.
  { api: 'coffer', method: 'POST', path: '/coffer/v1/regions/fr-par/secrets/{secret}/restore', actions: ['secrets:secret:delete'] },
  { api: 'coffer', method: 'PUT', path: '/coffer/v1/regions/fr-par/secrets/{secret}/deactivate-version-after', actions: ['secrets:secret:update'] },
  { api: 'coffer', method: 'GET', path: '/coffer/v1/scheduler', actions: ['scheduler:status:read'] },
  { api: 'coffer', method: 'POST', path: '/coffer/v1/scheduler/run', actions: ['scheduler:pass:run'] },
  // Exists only on a server started with COFFER_TEST_CLOCK=on (as the matrix test's is).
  { api: 'coffer', method: 'POST', path: '/coffer/v1/test/clock', actions: ['scheduler:clock:advance'] },
  { api: 'key-manager', method: 'GET', path: `${KMS}/keys?project_id={project}`, actions: ['keys:key:read'] },
  { api: 'key-manager', method: 'POST', path: `${KMS}/keys`, actions: ['keys:key:create'] },
];
