import type { SecretReference } from '../../references/index.js';
import { kindOfStatus, ResolutionError } from '../errors.js';
import type { ScalewayTarget } from '../instances.js';
import { field, jsonOf, send } from './http.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Scaleway's precondition names, in words. */
const PRECONDITIONS: Record<string, string> = {
  secret_version_disabled: 'the version is disabled',
  secret_version_expired: 'the version has expired',
  secret_version_deleted: 'the version is deleted',
  secret_version_scheduled_for_deletion: 'the version is scheduled for deletion',
  secret_scheduled_for_deletion: 'the secret is scheduled for deletion',
};

/**
 * The access URL of a reference: by id (one UUID segment, Plakar's form, or ?by=id) or
 * by path (folder segments, then the name). The default version is `latest_enabled`,
 * as External Secrets Operator does, so a disabled latest version is skipped.
 */
const accessUrl = (reference: SecretReference, target: ScalewayTarget, text: string): string => {
  const base = `${target.apiUrl}/secret-manager/v1beta1/regions/${encodeURIComponent(target.region)}`;
  const revision = encodeURIComponent(reference.version ?? 'latest_enabled');
  const [first] = reference.segments;
  const byId = reference.params.by === 'id' || (reference.params.by === undefined && reference.segments.length === 1 && first !== undefined && UUID.test(first));
  if (byId) {
    if (reference.segments.length !== 1 || first === undefined || !UUID.test(first)) {
      throw new ResolutionError('syntax', text, 'a secret id is one UUID segment');
    }
    return `${base}/secrets/${first}/versions/${revision}/access`;
  }
  const name = reference.segments.at(-1) ?? '';
  const query = new URLSearchParams({ secret_path: `/${reference.segments.slice(0, -1).join('/')}`, secret_name: name });
  if (target.projectId) {
    query.set('project_id', target.projectId);
  }
  return `${base}/secrets-by-path/versions/${revision}/access?${query.toString()}`;
};

/** Reads a version's payload with `X-Auth-Token`, as Scaleway's SDKs and Plakar do. */
export const fetchScaleway = async (reference: SecretReference, target: ScalewayTarget, text: string): Promise<Buffer> => {
  const url = accessUrl(reference, target, text);
  const response = await send(url, { 'x-auth-token': target.secretKey() }, text);
  const body = await jsonOf(response);
  if (!response.ok) {
    const kind = kindOfStatus(response.status);
    const precondition = String(field(body, 'precondition') ?? '');
    const resource = String(field(body, 'resource') ?? 'secret');
    const reason =
      kind === 'auth'
        ? `authentication failed (${response.status} ${String(field(body, 'message') ?? '')})`.trim()
        : kind === 'not_found'
          ? `${resource === 'secret_version' ? 'version' : 'secret'} not found`
          : kind === 'unreadable'
            ? (PRECONDITIONS[precondition] ?? `the version cannot be read (${precondition || response.status})`)
            : `the server answered ${response.status} ${String(field(body, 'message') ?? '')}`.trim();
    throw new ResolutionError(kind, text, reason);
  }
  const data = field(body, 'data');
  if (typeof data !== 'string') {
    throw new ResolutionError('provider', text, 'the access answer has no data');
  }
  return Buffer.from(data, 'base64');
};
