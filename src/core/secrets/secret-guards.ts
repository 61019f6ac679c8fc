import { formatMicros } from '../../shared/clock.js';
import { AppError, invalidField, notFound, preconditionFailed } from '../../shared/errors.js';
import { fullSecretPath, type Action, type Actor } from '../iam/index.js';
import type { Secret, SecretVersion } from './secret-model.js';
import type { SecretStore } from './secret-store.js';

/** The part of IAM the secrets module relies on. */
export interface SecretsAuthorizer {
  authorize(actor: Actor, action: Action, resource: { organizationId: string; projectId?: string; region?: string; secretId?: string; path?: string }): void;
}

export const assertRegion = (regions: readonly string[], region: string): void => {
  if (!regions.includes(region)) {
    throw invalidField('region', 'constraint', `unknown region "${region.slice(0, 32)}"; this server serves ${regions.join(', ')}`);
  }
};

/**
 * A secret of another organization is reported as not found, so that ids do not leak
 * across tenants; within the organization, IAM decides.
 */
export const authorizeSecret = (iam: SecretsAuthorizer, actor: Actor, secret: Secret | null, id: string, action: Action): Secret => {
  if (!secret || secret.organizationId !== actor.organizationId) {
    throw notFound('secret', id);
  }
  iam.authorize(actor, action, {
    organizationId: secret.organizationId,
    projectId: secret.projectId,
    region: secret.region,
    secretId: secret.id,
    path: fullSecretPath(secret.path, secret.name),
  });
  return secret;
};

export const loadSecret = async (
  store: Pick<SecretStore, 'getSecret'>,
  iam: SecretsAuthorizer,
  actor: Actor,
  region: string,
  id: string,
  action: Action,
): Promise<Secret> => authorizeSecret(iam, actor, await store.getSecret(region, id), id, action);

export const assertNotScheduledForDeletion = (secret: Secret): void => {
  if (secret.deletionRequestedAt !== null) {
    throw preconditionFailed(
      'secret_scheduled_for_deletion',
      'the secret is scheduled for deletion; restore it before changing or accessing it',
    );
  }
};

/** A deactivated or expired secret serves no payload, whatever its versions' states. */
export const assertSecretReadable = (secret: Secret, nowMicros: number): void => {
  if (secret.disabledAt !== null) {
    throw preconditionFailed('secret_disabled', `secret ${secret.id} is disabled; enable it to access its data`);
  }
  if (secret.expiresAt !== null && secret.expiresAt <= nowMicros) {
    throw preconditionFailed('secret_expired', `secret ${secret.id} expired at ${formatMicros(secret.expiresAt)}; extend its expiration to access its data`);
  }
};

export const versionNotFound = (revision: number | string): AppError => notFound('secret_version', String(revision));

/** Why a version's data cannot be read, in words the caller can act on; null when it can. */
export const accessRefusal = (version: SecretVersion): AppError | null => {
  switch (version.status) {
    case 'enabled':
      return null;
    case 'disabled':
      return preconditionFailed('secret_version_disabled', `secret version ${version.revision} is disabled; enable it to access its data`);
    case 'scheduled_for_deletion':
      return preconditionFailed(
        'secret_version_scheduled_for_deletion',
        `secret version ${version.revision} is scheduled for deletion; restore it to access its data`,
      );
    case 'deleted':
      return preconditionFailed('secret_version_deleted', `secret version ${version.revision} is deleted and its data is gone`);
  }
};
