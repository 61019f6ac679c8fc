import type { FastifyReply, FastifyRequest } from 'fastify';
import { isPlainObject } from '../../core/kv/index.js';
import { actorOf } from '../auth.js';
import type { CofferServices } from '../services.js';
import { sendErrors, sendRawStatus } from './envelope.js';
import { multiError } from './errors.js';
import { parseGoBool, VaultRequestError, type RequestData } from './fields.js';
import type { KvCall, KvHandler, Operation } from './kv-call.js';
import * as data from './kv-data-handlers.js';
import * as metadata from './kv-metadata-handlers.js';
import { findMount, type MountedScope } from './mounts.js';

const ENDPOINTS: Record<string, Partial<Record<Operation, KvHandler>>> = {
  data: { read: data.readData, update: data.writeData, patch: data.patchData, delete: data.deleteLatest },
  delete: { update: data.deleteVersions },
  undelete: { update: data.undeleteVersions },
  destroy: { update: data.destroyVersions },
  metadata: { read: metadata.readMetadata, list: metadata.listMetadata, update: metadata.writeMetadata, patch: metadata.patchMetadata, delete: metadata.deleteMetadata },
  subkeys: { read: data.readSubkeys },
};
const CONFIG: Partial<Record<Operation, KvHandler>> = { read: metadata.readConfig, update: metadata.writeConfig };

const CLI_VERB: Record<Operation, string> = { read: 'get', list: 'list', update: 'put', patch: 'patch', delete: 'delete' };
const ROOT_WARNING = 'Non-listing operations on the root of a K/V v2 mount are not supported.';
const invalidPathWarning = (operation: Operation) =>
  `Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv ${CLI_VERB[operation]}' for this operation.`;

const unsupported = (reply: FastifyReply) => sendErrors(reply, 405, [multiError(['unsupported operation'])]);

/** GET with a true `list` is a list, as Vault's HTTP layer decides; an unreadable `list` is a bare 400. */
const operationOf = (method: string, query: URLSearchParams): Operation | 'bad_list' | null => {
  switch (method) {
    case 'GET': {
      const list = query.get('list');
      if (list === null) {
        return 'read';
      }
      const parsed = parseGoBool(list);
      return parsed === null ? 'bad_list' : parsed ? 'list' : 'read';
    }
    case 'POST':
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return 'delete';
    default:
      return null;
  }
};

/** Query parameters are request data for reads, lists and deletes; bodies for the rest. */
const requestData = (request: FastifyRequest, operation: Operation, query: URLSearchParams): RequestData => {
  if (operation === 'read' || operation === 'list' || operation === 'delete') {
    const fields = new Map<string, string | string[]>();
    for (const key of new Set(query.keys())) {
      if (key !== 'list' && key !== 'help') {
        const values = query.getAll(key);
        fields.set(key, values.length === 1 ? (values[0] ?? '') : values);
      }
    }
    return Object.fromEntries(fields);
  }
  const body: unknown = request.body;
  if (body === undefined || body === null) {
    return {};
  }
  if (!isPlainObject(body)) {
    const kind = Array.isArray(body) ? 'array' : typeof body;
    throw new VaultRequestError(`failed to parse JSON input: json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`);
  }
  return body;
};

/** The request's path below `/v1/`, decoded; an encoded slash or NUL would smuggle in a segment. */
const pathBelowApi = (request: FastifyRequest): { path: string; query: URLSearchParams } => {
  const url = request.raw.url ?? '';
  const queryAt = url.indexOf('?');
  const rawPath = queryAt === -1 ? url : url.slice(0, queryAt);
  const encoded = rawPath.slice(rawPath.indexOf('/v1/') + '/v1/'.length);
  if (/%2f|%00|%5c/i.test(encoded)) {
    throw new VaultRequestError('invalid path: encoded "/", "\\" or NUL characters are not allowed');
  }
  try {
    return { path: decodeURIComponent(encoded), query: new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1)) };
  } catch {
    throw new VaultRequestError('invalid path: malformed percent-encoding');
  }
};

export interface KvRouting {
  services: CofferServices;
  mounts: readonly MountedScope[];
  /** OVHcloud: the only mount is `secret`, in the domain the `okmsId` parameter names. */
  domainFromParam: boolean;
}

const scopeOf = async (routing: KvRouting, request: FastifyRequest, path: string) => {
  if (!routing.domainFromParam) {
    return findMount(routing.mounts, path);
  }
  if (path !== 'secret' && !path.startsWith('secret/')) {
    return null;
  }
  const params = request.params as { okmsId?: string };
  const domain = await routing.services.kv.getDomain(actorOf(request), params.okmsId ?? '');
  return { mounted: { mount: 'secret', scope: { projectId: domain.projectId, region: domain.region } }, rest: path.slice('secret/'.length) };
};

/** Every KV v2 request: mount, then endpoint, then operation, each refused in Vault's words. */
export const handleKvRequest = async (routing: KvRouting, request: FastifyRequest, reply: FastifyReply) => {
  const { path, query } = pathBelowApi(request);
  const operation = operationOf(request.method, query);
  if (operation === 'bad_list') {
    return sendErrors(reply, 400, []);
  }
  const found = await scopeOf(routing, request, path);
  if (!found) {
    return sendErrors(reply, 404, [`no handler for route "${path}". route entry not found.`]);
  }
  if (operation === null) {
    return sendErrors(reply, 405, []);
  }
  // Vault lists folders: a list always ends in a slash.
  const rest = operation === 'list' && !found.rest.endsWith('/') ? `${found.rest}/` : found.rest;
  const slash = rest.indexOf('/');
  const prefix = slash === -1 ? rest : rest.slice(0, slash);
  const endpoint = rest === 'config' ? CONFIG : ENDPOINTS[prefix];
  if (!endpoint) {
    return sendRawStatus(reply, 404, null, [invalidPathWarning(operation)]);
  }
  const keyPath = rest === 'config' ? '' : rest.slice(slash + 1);
  if (rest !== 'config' && slash === -1) {
    return sendRawStatus(reply, 404, null, [ROOT_WARNING]);
  }
  if (prefix === 'data' && (keyPath === '' || keyPath.endsWith('/'))) {
    return sendRawStatus(reply, 404, null, [invalidPathWarning(operation)]);
  }
  const handler = endpoint[operation];
  if (!handler) {
    return unsupported(reply);
  }
  const call: KvCall = {
    services: routing.services,
    actor: actorOf(request),
    scope: found.mounted.scope,
    path: keyPath,
    data: requestData(request, operation, query),
    request,
    reply,
  };
  return handler(call);
};
