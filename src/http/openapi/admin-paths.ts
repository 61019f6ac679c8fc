import { arrayOf, bool, int, nullableStr, nullableTime, object, operation, pathParam, str, time, uuid, type PathItems } from './builders.js';
import { lifecycleSchema } from './lifecycle-paths.js';

const region = pathParam('region', 'a configured region, such as fr-par');
const secretId = pathParam('secret_id', 'the secret', uuid());

const domain = object({ id: uuid('the okmsId of the OVHcloud APIs'), project_id: uuid(), region: str(), created_at: time() });

const lifecycle = lifecycleSchema;

const lifecycleOperation = (id: string, summary: string, description: string) =>
  operation({ id, summary, description, tag: 'secrets', parameters: [region, secretId], ok: { status: 200, schema: lifecycle }, errors: [404, 412] });

/** Identity, KEK rotation, region activation, and what Scaleway's Secret shape cannot hold. */
export const adminPaths: PathItems = {
  '/coffer/v1/whoami': {
    get: operation({
      id: 'whoami',
      summary: 'Who the caller is',
      tag: 'identity',
      ok: {
        status: 200,
        schema: object({ access_key: str(), organization_id: uuid(), default_project_id: nullableStr(), role: str(), application_id: nullableStr(), user_id: nullableStr() }),
      },
    }),
  },
  '/coffer/v1/keys': {
    get: operation({
      id: 'listKeyScopes',
      summary: 'The (project, region) scopes that hold a key-encryption key',
      tag: 'keys',
      ok: { status: 200, schema: object({ scopes: arrayOf(object({ project_id: uuid(), region: str() })) }) },
    }),
  },
  '/coffer/v1/keys/rotate': {
    post: operation({
      id: 'rotateKeys',
      summary: 'Rotate key-encryption keys and re-wrap data keys online',
      description:
        'Streams NDJSON: a `start` line, `progress` lines while data keys are re-wrapped, a `rotated` line per scope and a final `done`. Payload ciphertexts are untouched.',
      tag: 'keys',
      body: object({ project_id: uuid('only this project'), region: str('only this region') }, ['project_id', 'region']),
      ok: {
        status: 200,
        contentType: 'application/x-ndjson',
        schema: object({ type: str('start, progress, rotated or done', { enum: ['start', 'progress', 'rotated', 'done'] }) }),
      },
    }),
  },
  '/coffer/v1/domains': {
    post: operation({
      id: 'activateDomain',
      summary: 'Activate a region for a project (an OVHcloud OKMS domain); harmless twice',
      tag: 'domains',
      body: object({ region: str(), project_id: uuid('defaults to the caller\'s default project') }, ['project_id']),
      ok: { status: 200, schema: domain },
      errors: [404],
    }),
    get: operation({ id: 'listDomains', summary: 'Activated domains the caller may see', tag: 'domains', ok: { status: 200, schema: object({ domains: arrayOf(domain) }) } }),
  },
  '/coffer/v1/domains/{id}': {
    get: operation({ id: 'getDomain', summary: 'One domain', tag: 'domains', parameters: [pathParam('id', 'the domain (okmsId)', uuid())], ok: { status: 200, schema: domain }, errors: [404] }),
  },
  '/coffer/v1/regions/{region}/secrets/{secret_id}/versions/{revision}/certificate': {
    get: operation({
      id: 'certificateDetails',
      summary: 'A certificate secret\'s subject, SANs, issuer, validity and fingerprint, without its payload',
      tag: 'secrets',
      parameters: [region, secretId, pathParam('revision', 'a revision number, or latest / latest_enabled')],
      ok: {
        status: 200,
        schema: object({
          revision: int(),
          subject: str(),
          issuer: str(),
          subject_alt_names: arrayOf(str()),
          serial_number: str(),
          fingerprint_sha256: str(),
          not_before: time(),
          not_after: time(),
          expired: bool(),
          chain_length: int(),
          has_private_key: bool(),
        }),
      },
      errors: [404, 412],
    }),
  },
  '/coffer/v1/regions/{region}/secrets/{secret_id}/lifecycle': {
    get: lifecycleOperation('getSecretLifecycle', 'A secret\'s status and expiration', 'Needs the right to read the secret.'),
  },
  '/coffer/v1/regions/{region}/secrets/{secret_id}/disable': {
    post: lifecycleOperation('disableSecret', 'Disable a whole secret', 'No API serves its payload until it is enabled again.'),
  },
  '/coffer/v1/regions/{region}/secrets/{secret_id}/enable': {
    post: lifecycleOperation('enableSecret', 'Enable a disabled secret', 'Its versions serve their payload again.'),
  },
  '/coffer/v1/regions/{region}/secrets/{secret_id}/expiration': {
    put: operation({
      id: 'setSecretExpiration',
      summary: 'Set or remove a whole secret\'s expiration',
      tag: 'secrets',
      parameters: [region, secretId],
      body: object({ expires_at: nullableTime('RFC 3339, or null to remove the expiration') }),
      ok: { status: 200, schema: lifecycle },
      errors: [404, 412],
    }),
  },
};
