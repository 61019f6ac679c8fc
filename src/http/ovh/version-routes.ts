import { invalidField, notFound } from '../../shared/errors.js';
import { sendJson } from '../json.js';
import { existingMetadata, queryOf, type SecretCall } from './call.js';
import { pageRequestOf, takePage } from './pagination.js';
import { presentVersion } from './presenters.js';
import { parseStateBody, parseVersionBody, queryCas, queryIncludeData, type RequestedState } from './schemas.js';

const versionNotFound = (call: SecretCall, version: number) => notFound('secret_version', `${call.path} version ${version}`);

/**
 * A version, with its data only when asked. The data goes through the service's read,
 * which needs the right to access payloads; the rest needs only the right to read the
 * secret. A version that is not active answers 200 with its state and no data.
 */
export const versionView = async (call: SecretCall, version: number, includeData: boolean) => {
  const { kv } = call.services;
  if (includeData) {
    const read = await kv.read(call.actor, call.scope, call.path, version);
    if (read.kind === 'ok') {
      return presentVersion(read.version, read.data);
    }
    if (read.kind === 'unreadable') {
      return presentVersion(read.version);
    }
    throw versionNotFound(call, version);
  }
  const info = await kv.getVersionInfo(call.actor, call.scope, call.path, version);
  if (!info) {
    throw versionNotFound(call, version);
  }
  return presentVersion(info);
};

export const listVersions = async (call: SecretCall) => {
  const page = pageRequestOf(call.request);
  const metadata = await existingMetadata(call);
  const versions = takePage(
    call.reply,
    metadata.versions,
    page,
    (version) => String(version.version),
    (version, position) => version.version > Number(position),
  );
  return sendJson(call.reply, 200, versions.map((version) => presentVersion(version)));
};

/** A new version of an existing secret; `?cas=` must then equal its current version. */
export const createVersion = async (call: SecretCall) => {
  const cas = queryCas(queryOf(call));
  const data = parseVersionBody(call.request.body);
  await existingMetadata(call);
  const written = await call.services.kv.write(call.actor, call.scope, call.path, data, { cas });
  return sendJson(call.reply, 200, presentVersion(written.version));
};

export const getVersion = async (call: SecretCall, version: number) =>
  sendJson(call.reply, 200, await versionView(call, version, queryIncludeData(queryOf(call))));

const CURRENT_STATE: Record<RequestedState, string> = { active: 'active', deactivated: 'deactivated', deleted: 'destroyed' };

/**
 * `active` reactivates (Vault's undelete), `deactivated` hides the data but keeps it
 * (soft delete), `deleted` erases it for good (destroy). Asking for the state a version
 * already has changes nothing, so reactivating an active version does not re-arm its timer.
 */
export const changeVersionState = async (call: SecretCall, version: number) => {
  const state = parseStateBody(call.request.body);
  const { kv } = call.services;
  const current = await kv.getVersionInfo(call.actor, call.scope, call.path, version);
  if (!current) {
    throw versionNotFound(call, version);
  }
  if (current.state === 'destroyed' && state !== 'deleted') {
    throw invalidField('state', 'constraint', `version ${version} is deleted: its data is erased and it cannot become ${state} again`);
  }
  if (CURRENT_STATE[state] !== current.state) {
    if (state === 'active') {
      await kv.undeleteVersions(call.actor, call.scope, call.path, [version]);
    } else if (state === 'deactivated') {
      await kv.deleteVersions(call.actor, call.scope, call.path, [version]);
    } else {
      await kv.destroyVersions(call.actor, call.scope, call.path, [version]);
    }
  }
  const changed = await kv.getVersionInfo(call.actor, call.scope, call.path, version);
  if (!changed) {
    throw versionNotFound(call, version);
  }
  return sendJson(call.reply, 200, presentVersion(changed));
};
