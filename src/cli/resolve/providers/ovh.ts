import type { SecretReference } from '../../references/index.js';
import { kindOfStatus, ResolutionError } from '../errors.js';
import type { OvhTarget } from '../instances.js';
import { field, jsonOf, send } from './http.js';

/**
 * OVHcloud's regional REST API: `GET /api/{okmsId}/v2/secret/{path}?includeData=true`,
 * the path's slashes encoded as OVHcloud's Go SDK writes them, a Bearer token. The
 * payload is `version.data`, as JSON.
 */
export const fetchOvh = async (reference: SecretReference, target: OvhTarget, text: string): Promise<Buffer> => {
  const path = encodeURIComponent(reference.segments.join('/'));
  const query = new URLSearchParams({ includeData: 'true', ...(reference.version === undefined ? {} : { version: reference.version }) });
  const url = `${target.endpoint}/api/${encodeURIComponent(target.okmsId)}/v2/secret/${path}?${query.toString()}`;
  const response = await send(url, { authorization: `Bearer ${target.token()}` }, text);
  const body = await jsonOf(response);
  if (!response.ok) {
    const kind = kindOfStatus(response.status);
    const errors = field(body, 'errors');
    const detail = Array.isArray(errors) && errors.length ? `: ${errors.join('; ')}` : '';
    const reason = kind === 'auth' ? `authentication failed (${response.status})` : kind === 'not_found' ? `secret or version not found` : `OVHcloud answered ${response.status}${detail}`;
    throw new ResolutionError(kind, text, reason);
  }
  const version = field(body, 'version');
  const state = field(version, 'state');
  if (version === undefined) {
    throw new ResolutionError('not_found', text, 'the secret has no version');
  }
  if (typeof state === 'string' && state.toLowerCase() !== 'active') {
    throw new ResolutionError('unreadable', text, `version ${String(field(version, 'id') ?? '')} is ${state.toLowerCase()}`);
  }
  const data = field(version, 'data');
  if (data === undefined) {
    throw new ResolutionError('provider', text, 'the answer carries no data');
  }
  return Buffer.from(JSON.stringify(data));
};
