import type { Clock } from '../../shared/clock.js';
import { notFound, preconditionFailed } from '../../shared/errors.js';
import { fullSecretPath, noteRevision, type Actor, type Project } from '../iam/index.js';
import type { KeyService } from '../keys/index.js';
import { isExpired } from './ephemeral.js';
import {
  accessRefusal,
  assertNotScheduledForDeletion,
  assertSecretReadable,
  assertRegion,
  authorizeSecret,
  versionNotFound,
  type SecretsAuthorizer,
} from './secret-guards.js';
import type { RevisionSelector, Secret, SecretVersion } from './secret-model.js';
import { normalizePath, validateName } from './secret-rules.js';
import type { SecretStore, VersionWithPayload } from './secret-store.js';

export interface AccessServiceDeps {
  store: SecretStore;
  keys: Pick<KeyService, 'openPayload'>;
  iam: SecretsAuthorizer & { resolveProject(actor: Actor, projectId: string | null | undefined): Promise<Project> };
  clock: Clock;
  regions: readonly string[];
}

export interface AccessedVersion {
  secret: Secret;
  version: SecretVersion;
  data: Buffer;
}

/** Reading payloads: the hot path, and where ephemeral policies take effect. */
export const createAccessService = ({ store, keys, iam, clock, regions }: AccessServiceDeps) => {
  /** Runs the policy's action on a version that expired or was read once. */
  const expire = (secretId: string, revision: number, now: number, requireEnabled: boolean) =>
    store.updateVersion(secretId, revision, (version) => {
      if (version.status !== 'enabled') {
        if (requireEnabled) {
          // Another reader consumed a read-once version first: this one gets nothing.
          throw accessRefusal(version) ?? versionNotFound(revision);
        }
        return version;
      }
      const action = version.ephemeral?.action ?? 'disable';
      return action === 'delete'
        ? { ...version, status: 'deleted', deletedAt: now, updatedAt: now }
        : // A version disabled by its expiry was deleted, in KV terms, when the expiry passed.
          { ...version, status: 'disabled', disabledAt: Math.min(version.ephemeral?.expiresAt ?? now, now), updatedAt: now };
    });

  const settleExpiry = async (version: SecretVersion, now: number, requireEnabled: boolean): Promise<void> => {
    const settled = await expire(version.secretId, version.revision, now, requireEnabled);
    if (settled.status === 'deleted') {
      await store.erasePayload(settled.secretId, settled.revision, now);
    }
  };

  /** Authorizes, applies the version's state and policy, then opens the payload. */
  const deliver = async (actor: Actor, region: string, found: VersionWithPayload): Promise<AccessedVersion> => {
    const { version, sealed } = found;
    const secret = authorizeSecret(iam, actor, found.secret, found.secret.id, 'secrets:version:access');
    noteRevision(actor, version.revision);
    assertNotScheduledForDeletion(secret);
    const now = clock.nowMicros();
    // Checked at read time, so a late scheduler never serves an expired secret.
    assertSecretReadable(secret, now);
    const refusal = accessRefusal(version);
    if (refusal) {
      throw refusal;
    }
    if (isExpired(version.ephemeral, now)) {
      await settleExpiry(version, now, false);
      throw preconditionFailed('secret_version_expired', `secret version ${version.revision} has expired`);
    }
    if (!sealed) {
      throw preconditionFailed('secret_version_deleted', `secret version ${version.revision} is deleted and its data is gone`);
    }
    const data = await keys.openPayload({ projectId: secret.projectId, region, secretId: secret.id, revision: version.revision, keyId: secret.keyId }, sealed);
    if (version.ephemeral?.expiresOnceAccessed === true) {
      // The state change lands before the data leaves, so a read-once secret is read once.
      await settleExpiry(version, now, true);
    }
    return { secret, version, data };
  };

  const access = async (actor: Actor, region: string, secretId: string, selector: RevisionSelector): Promise<AccessedVersion> => {
    assertRegion(regions, region);
    const found = await store.readVersionWithPayload(region, secretId, selector);
    if (!found) {
      authorizeSecret(iam, actor, await store.getSecret(region, secretId), secretId, 'secrets:version:access');
      throw versionNotFound(selector);
    }
    return deliver(actor, region, found);
  };

  return {
    access,

    async accessByPath(
      actor: Actor,
      region: string,
      input: { projectId: string | null; path: string; name: string },
      selector: RevisionSelector,
    ): Promise<AccessedVersion> {
      assertRegion(regions, region);
      const project = await iam.resolveProject(actor, input.projectId);
      const path = normalizePath(input.path, 'secret_path');
      const name = validateName(input.name, 'secret_name');
      const secret = await store.findActiveSecretByPath(region, project.id, path, name);
      if (!secret) {
        throw notFound('secret', `${path === '/' ? '' : path}/${name}`);
      }
      return access(actor, region, secret.id, selector);
    },

    /**
     * Access by where the secret lives, in one query. Null when no live secret or no
     * such version is there; the caller's right on the project is checked then instead.
     */
    async accessAt(
      actor: Actor,
      location: { region: string; projectId: string; path: string; name: string },
      selector: RevisionSelector,
    ): Promise<AccessedVersion | null> {
      assertRegion(regions, location.region);
      const found = await store.readVersionWithPayloadAt(location, selector);
      if (!found) {
        iam.authorize(actor, 'secrets:version:access', {
          organizationId: actor.organizationId,
          projectId: location.projectId,
          region: location.region,
          path: fullSecretPath(location.path, location.name),
        });
        return null;
      }
      return deliver(actor, location.region, found);
    },

    /** Applies ephemeral actions to versions whose time ran out; the background job calls it. */
    async expireDueVersions(limit = 500): Promise<number> {
      const now = clock.nowMicros();
      const due = await store.findExpiredVersions(now, limit);
      for (const { secretId, revision } of due) {
        const version = await store.getVersion(secretId, revision);
        if (version) {
          await settleExpiry(version, now, false);
        }
      }
      return due.length;
    },
  };
};

export type AccessService = ReturnType<typeof createAccessService>;
