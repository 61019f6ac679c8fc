import { adminPaths } from './admin-paths.js';
import { auditEventSchema, auditPaths } from './audit-paths.js';
import { object, str, type PathItems, type Schema } from './builders.js';
import { notificationPaths } from './notification-paths.js';
import { operationsPaths } from './operations-paths.js';
import { rotationPaths } from './rotation-paths.js';
import { lifecyclePaths } from './lifecycle-paths.js';
import { sessionPaths } from './session-paths.js';

/** Every file of paths; a new group of /coffer/v1 routes adds its file here. */
const PATH_GROUPS: readonly PathItems[] = [adminPaths, auditPaths, rotationPaths, notificationPaths, operationsPaths, sessionPaths, lifecyclePaths];

const errorSchema: Schema = {
  ...object({ message: str(), type: str('invalid_arguments, not_found, permissions_denied, denied_authentication, …') }),
  description: 'Coffer answers its errors in the shape of Scaleway\'s APIs.',
  additionalProperties: true,
};

/**
 * The OpenAPI 3.1 description of Coffer's own endpoints (/coffer/v1). The wire APIs it
 * also serves (Scaleway, Vault, OVHcloud) are described by their vendors.
 */
export const buildOpenApiDocument = (version: string): Schema => ({
  openapi: '3.1.0',
  info: {
    title: 'Coffer API',
    version,
    summary: 'Coffer\'s own endpoints: identity, key rotation, regions, secret lifecycle and rotation, events and webhooks, audit trail, scheduler, backups and console sessions.',
    license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
  },
  servers: [{ url: '/', description: 'this server' }],
  security: [{ apiKey: [] }, { bearer: [] }, { consoleSession: [] }],
  tags: ['identity', 'keys', 'domains', 'secrets', 'rotation', 'events', 'audit', 'scheduler', 'backup', 'console'].map((name) => ({ name })),
  paths: Object.assign({}, ...PATH_GROUPS) as PathItems,
  components: {
    securitySchemes: {
      apiKey: { type: 'apiKey', in: 'header', name: 'X-Auth-Token', description: 'an API secret key (Scaleway\'s header)' },
      bearer: { type: 'http', scheme: 'bearer', description: 'the same secret key as a bearer token' },
      consoleSession: { type: 'apiKey', in: 'cookie', name: 'coffer_session', description: 'a console session; changing requests also need X-CSRF-Token' },
    },
    schemas: { Error: errorSchema, AuditEvent: auditEventSchema },
  },
});
