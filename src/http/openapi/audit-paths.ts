import { arrayOf, bool, int, nullableStr, nullableTime, object, operation, pathParam, queryParam, ref, str, time, uuid, type PathItems } from './builders.js';

const range = [queryParam('from', 'RFC 3339; events at or after', time()), queryParam('to', 'RFC 3339; events before', time())];

const usageEntry = (key: string) => object({ [key]: str(), access_count: int(), last_accessed_at: nullableTime() });

/** The audit trail: search, export, verification, signing keys, usage. All need AuditLogReadOnly. */
export const auditPaths: PathItems = {
  '/coffer/v1/audit/events': {
    get: operation({
      id: 'searchAuditEvents',
      summary: 'Search audit events, oldest first, a page at a time',
      tag: 'audit',
      parameters: [
        ...range,
        queryParam('actor', 'an access key'),
        queryParam('secret_id', 'a secret', uuid()),
        queryParam('action', 'an action such as secrets:version:access'),
        queryParam('outcome', 'success, denied, failed or error', str(undefined, { enum: ['success', 'denied', 'failed', 'error'] })),
        queryParam('request_id', 'one request'),
        queryParam('page_size', '1 to 1000, default 100', { type: 'integer', minimum: 1, maximum: 1000 }),
        queryParam('cursor', 'next_cursor of the previous page'),
      ],
      ok: { status: 200, schema: object({ events: arrayOf(ref('AuditEvent')), next_cursor: nullableStr(), more: bool() }) },
    }),
  },
  '/coffer/v1/audit/export': {
    get: operation({
      id: 'exportAudit',
      summary: 'Export the trail as JSON Lines (events, chain heads and signed checkpoints), streamed',
      tag: 'audit',
      parameters: range,
      ok: { status: 200, contentType: 'application/x-ndjson', schema: object({ type: str('event, chain or checkpoint') }) },
    }),
  },
  '/coffer/v1/audit/verify': {
    get: operation({
      id: 'verifyAudit',
      summary: 'Verify every chain\'s hashes and checkpoint signatures',
      tag: 'audit',
      ok: {
        status: 200,
        schema: object({
          ok: bool(),
          events: int(),
          chains: int(),
          checkpoints: int(),
          first_break: { oneOf: [{ type: 'null' }, object({ chain_id: str(), seq: int(), message: str() })] },
        }),
      },
    }),
  },
  '/coffer/v1/audit/public-keys': {
    get: operation({
      id: 'auditPublicKeys',
      summary: 'The Ed25519 keys that sign checkpoints, for offline verification',
      tag: 'audit',
      ok: { status: 200, schema: object({ keys: arrayOf(object({ key_id: str(), algorithm: str(undefined, { const: 'ed25519' }), public_key: str('PEM') })) }) },
    }),
  },
  '/coffer/v1/audit/secrets/{secret_id}/usage': {
    get: operation({
      id: 'secretUsage',
      summary: 'How often, when and by whom a secret\'s payload was read',
      tag: 'audit',
      parameters: [pathParam('secret_id', 'the secret', uuid())],
      ok: {
        status: 200,
        schema: object({
          secret_id: uuid(),
          access_count: int(),
          last_accessed_at: nullableTime(),
          versions: arrayOf(usageEntry('revision')),
          readers: arrayOf(usageEntry('access_key')),
        }),
      },
    }),
  },
  '/coffer/v1/audit/unused-secrets': {
    get: operation({
      id: 'unusedSecrets',
      summary: 'Secrets the caller may list whose payload nobody read for a number of days',
      tag: 'audit',
      parameters: [
        { name: 'days', in: 'query', required: true, description: '1 to 3650', schema: { type: 'integer', minimum: 1, maximum: 3650 } },
        queryParam('region', 'default: the first configured region'),
        queryParam('project_id', 'one project', uuid()),
      ],
      ok: {
        status: 200,
        schema: object({
          secrets: arrayOf(object({ id: uuid(), name: str(), path: str(), project_id: uuid(), region: str(), last_accessed_at: nullableTime(), access_count: int() })),
          total_count: int(),
        }),
      },
    }),
  },
};

const nullable = nullableStr();

export const auditEventSchema = object({
  time: time(),
  request_id: str(),
  api: str(),
  operation: str('method and route pattern'),
  action: nullable,
  actor: object({ access_key: nullable, role: nullable, application_id: nullable, user_id: nullable, token_hmac: nullableStr('HMAC of a failed credential, never the credential') }),
  source_ip: str(),
  user_agent: nullable,
  resource: object({ organization_id: nullable, project_id: nullable, region: nullable, secret_id: nullable, revision: nullable, path: nullable }),
  outcome: str(undefined, { enum: ['success', 'denied', 'failed', 'error'] }),
  status: int(),
  error_type: nullable,
  chain_id: str(),
  seq: int(),
  hash: str(),
});
