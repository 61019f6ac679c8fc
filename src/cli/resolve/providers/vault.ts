import type { SecretReference } from '../../references/index.js';
import { ResolutionError } from '../errors.js';
import type { VaultTarget } from '../instances.js';
import { field, jsonOf, send } from './http.js';

/**
 * KV v2 read: `GET /v1/<mount>/data/<path>[?version=N]` with `X-Vault-Token`. The mount is
 * the first segment (Plakar's `engine/path` form, without `data/`) unless ?mount= names
 * a longer one. The payload is `data.data`, as JSON.
 */
export const fetchVault = async (reference: SecretReference, target: VaultTarget, text: string): Promise<Buffer> => {
  const mount = reference.params.mount?.split('/').filter(Boolean) ?? reference.segments.slice(0, 1);
  const path = reference.params.mount === undefined ? reference.segments.slice(1) : reference.segments;
  if (path.length === 0) {
    throw new ResolutionError('syntax', text, 'a Vault reference is <mount>/<path>: the path is missing');
  }
  const encode = (segments: string[]) => segments.map(encodeURIComponent).join('/');
  const query = reference.version === undefined ? '' : `?version=${reference.version}`;
  const headers: Record<string, string> = { 'x-vault-token': target.token(), ...(target.namespace ? { 'x-vault-namespace': target.namespace } : {}) };
  const response = await send(`${target.address}/v1/${encode(mount)}/data/${encode(path)}${query}`, headers, text);
  const body = await jsonOf(response);
  const data = field(body, 'data');
  const metadata = field(data, 'metadata');
  // A deleted or destroyed version answers 404 (200 on older servers) with its metadata and no data.
  if (metadata !== undefined && (field(data, 'data') === null || field(data, 'data') === undefined)) {
    const destroyed = field(metadata, 'destroyed') === true;
    throw new ResolutionError('unreadable', text, `version ${String(field(metadata, 'version') ?? '')} is ${destroyed ? 'destroyed' : 'deleted'}`);
  }
  if (response.status === 403 || response.status === 401) {
    throw new ResolutionError('auth', text, `authentication failed (${response.status} permission denied)`);
  }
  if (response.status === 404) {
    throw new ResolutionError('not_found', text, reference.version === undefined ? 'secret not found' : `version ${reference.version} not found`);
  }
  if (!response.ok) {
    const errors = field(body, 'errors');
    throw new ResolutionError('provider', text, `Vault answered ${response.status}${Array.isArray(errors) && errors.length ? `: ${errors.join('; ')}` : ''}`);
  }
  const payload = field(data, 'data');
  if (typeof payload !== 'object' || payload === null) {
    throw new ResolutionError('provider', text, 'the Vault answer has no data.data object');
  }
  return Buffer.from(JSON.stringify(payload));
};
