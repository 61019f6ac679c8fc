import { KV_PRECONDITIONS, type KvKeyMetadata, type KvMetadataChanges } from '../../core/kv/index.js';
import { AppError, alreadyExists, preconditionFailed } from '../../shared/errors.js';
import { sendJson, sendNoContent } from '../json.js';
import { existingMetadata, queryOf, type OvhCall, type SecretCall } from './call.js';
import { pageRequestOf, takePage } from './pagination.js';
import { presentMetadata, presentSecret } from './presenters.js';
import { hasChanges, parseCreateBody, parseUpdateBody, queryCas, queryIncludeData, queryVersion } from './schemas.js';
import { versionView } from './version-routes.js';

export const listSecrets = async (call: OvhCall) => {
  const page = pageRequestOf(call.request);
  const keys = await call.services.kv.listKeys(call.actor, call.scope);
  const secrets = takePage(
    call.reply,
    keys,
    page,
    (metadata) => metadata.key,
    (metadata, position) => metadata.key > position,
  );
  return sendJson(call.reply, 200, secrets.map(presentSecret));
};

const isCasMismatch = (error: unknown): boolean =>
  error instanceof AppError && error.details.precondition === KV_PRECONDITIONS.casMismatch;

/**
 * Creates a secret with its first version. An existing path is a conflict (409). The
 * metadata goes first, so that its `deactivateVersionAfter` and `maxVersions` govern
 * version 1 too; the version is then written with check-and-set 0, so a concurrent
 * creator makes this call fail rather than add a version to someone else's secret.
 */
export const createSecret = async (call: OvhCall) => {
  const body = parseCreateBody(call.request.body);
  const secret: SecretCall = { ...call, path: body.path };
  const { kv } = call.services;
  const conflict = () => alreadyExists('secret', body.path, `secret ${body.path} already exists`);
  if (await kv.getMetadata(call.actor, call.scope, body.path)) {
    throw conflict();
  }
  const withMetadata = hasChanges(body.metadata);
  if (withMetadata) {
    await kv.writeMetadata(call.actor, call.scope, body.path, body.metadata);
  }
  try {
    await kv.write(call.actor, call.scope, body.path, body.data, { cas: 0 });
  } catch (error) {
    if (isCasMismatch(error)) {
      throw conflict();
    }
    if (withMetadata) {
      // The input was checked beforehand; this undoes the metadata of a write the store refused.
      await kv.deleteMetadata(call.actor, call.scope, body.path).catch((cleanupError: unknown) => {
        call.request.log.warn({ err: cleanupError }, 'could not remove the metadata of a refused secret creation');
      });
    }
    throw error;
  }
  return sendJson(call.reply, 200, presentSecret(await existingMetadata(secret)));
};

/** The secret with its current version, or the one `?version=` names; data only with `includeData=true`. */
export const getSecret = async (call: SecretCall) => {
  const query = queryOf(call);
  const requested = queryVersion(query);
  const includeData = queryIncludeData(query);
  const metadata = await existingMetadata(call);
  const version = requested ?? metadata.currentVersion;
  const body = {
    path: call.path,
    metadata: presentMetadata(metadata),
    ...(version > 0 ? { version: await versionView(call, version, includeData) } : {}),
  };
  return sendJson(call.reply, 200, body);
};

const casMismatch = () => preconditionFailed(KV_PRECONDITIONS.casMismatch, 'check-and-set parameter did not match the current version');

/**
 * Whether the version this update writes needs `cas`, decided before the metadata
 * changes so that a refused update changes nothing. Both the rule in force and the one
 * the request sets apply: a request cannot switch `casRequired` off and skip `cas` at once.
 */
const requiresCas = async (call: SecretCall, current: KvKeyMetadata, changes: KvMetadataChanges): Promise<boolean> =>
  current.casRequired || changes.casRequired === true || (await call.services.kv.getSettings(call.actor, call.scope)).casRequired;

/**
 * Metadata fields given replace the stored ones; a new version is written iff
 * `version.data` is given, after the metadata, which then governs it. `?cas=` is
 * checked first, and again by the service under the secret's lock.
 */
export const updateSecret = async (call: SecretCall) => {
  const cas = queryCas(queryOf(call));
  const { data, metadata } = parseUpdateBody(call.request.body);
  const { kv } = call.services;
  const current = await existingMetadata(call);
  if (cas !== null && cas !== current.currentVersion) {
    throw casMismatch();
  }
  if (hasChanges(metadata)) {
    if (data !== null && cas === null && (await requiresCas(call, current, metadata))) {
      throw preconditionFailed(KV_PRECONDITIONS.casRequired, 'check-and-set parameter required for this call');
    }
    await kv.writeMetadata(call.actor, call.scope, call.path, metadata);
  }
  if (data !== null) {
    await kv.write(call.actor, call.scope, call.path, data, { cas });
  }
  return sendJson(call.reply, 200, presentSecret(await existingMetadata(call)));
};

/** The secret and every version; the path can be created again, starting at version 1. */
export const deleteSecret = async (call: SecretCall) => {
  await existingMetadata(call);
  await call.services.kv.deleteMetadata(call.actor, call.scope, call.path);
  return sendNoContent(call.reply);
};
