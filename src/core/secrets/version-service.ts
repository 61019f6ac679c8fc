import type { Clock } from '../../shared/clock.js';
import { preconditionFailed } from '../../shared/errors.js';
import type { Page, PageRequest } from '../../shared/paging.js';
import type { Actor } from '../iam/index.js';
import type { KeyService } from '../keys/index.js';
import { ephemeralPropertiesFor } from './ephemeral.js';
import { validatePayload } from './payload-rules.js';
import { certificateExpiry, ephemeralForNewVersion } from './version-lifetime.js';
import {
  assertNotScheduledForDeletion,
  assertRegion,
  loadSecret,
  versionNotFound,
  type SecretsAuthorizer,
} from './secret-guards.js';
import type { EphemeralProperties, RevisionSelector, Secret, SecretVersion, VersionStatus, VersionView } from './secret-model.js';

const view = (version: SecretVersion, versionCount: number): VersionView => ({
  ...version,
  latest: version.revision >= versionCount,
});
import { validateDescription } from './secret-rules.js';
import type { SecretStore } from './secret-store.js';

export interface VersionServiceDeps {
  store: SecretStore;
  keys: Pick<KeyService, 'prepareSealer'>;
  iam: SecretsAuthorizer;
  clock: Clock;
  regions: readonly string[];
}

export interface CreateVersionInput {
  data: Uint8Array;
  description?: string | null;
  disablePrevious?: boolean | null;
  dataCrc32?: number | null;
}

export interface UpdateVersionInput {
  description?: string | null | undefined;
  ephemeralProperties?: EphemeralProperties | null | undefined;
}

/** Version operations other than reading the payload (see access-service.ts). */
export const createVersionService = ({ store, keys, iam, clock, regions }: VersionServiceDeps) => {
  const loadVersion = async (
    actor: Actor,
    region: string,
    secretId: string,
    selector: RevisionSelector,
    action: 'secrets:secret:read' | 'secrets:version:update' | 'secrets:version:delete',
  ): Promise<VersionView> => {
    assertRegion(regions, region);
    const secret = await loadSecret(store, iam, actor, region, secretId, action);
    const version = await store.getVersion(secretId, selector);
    if (!version) {
      throw versionNotFound(selector);
    }
    return view(version, secret.versionCount);
  };

  /** Loads, authorizes, then applies a status change under the store's row lock. */
  const transition = async (
    actor: Actor,
    region: string,
    secretId: string,
    selector: RevisionSelector,
    action: 'secrets:version:update' | 'secrets:version:delete',
    change: (version: SecretVersion, now: number, policy: Parameters<typeof ephemeralPropertiesFor>[0], secret: Secret) => SecretVersion,
  ): Promise<VersionView> => {
    const target = await loadVersion(actor, region, secretId, selector, action);
    const now = clock.nowMicros();
    let versionCount = 0;
    const updated = await store.updateVersion(secretId, target.revision, (version, secret) => {
      assertNotScheduledForDeletion(secret);
      versionCount = secret.versionCount;
      return change(version, now, secret.ephemeralPolicy, secret);
    });
    return view(updated, versionCount);
  };

  return {
    async create(actor: Actor, region: string, secretId: string, input: CreateVersionInput): Promise<VersionView> {
      assertRegion(regions, region);
      const secret = await loadSecret(store, iam, actor, region, secretId, 'secrets:version:create');
      assertNotScheduledForDeletion(secret);
      const checksumAlgorithm = validatePayload(secret.type, input.data, input.dataCrc32 ?? null, clock.nowMicros() / 1000);
      const description = validateDescription(input.description);
      const sealPayload = await keys.prepareSealer({ projectId: secret.projectId, region, keyId: secret.keyId });
      const now = clock.nowMicros();
      const expiresAt = certificateExpiry(secret.type, input.data, now);
      const appended = await store.appendVersion(region, secretId, (current, revision) => {
        assertNotScheduledForDeletion(current);
        return {
          ...(expiresAt === undefined ? {} : { expiresAt }),
          version: {
            secretId,
            revision,
            status: 'enabled',
            description,
            createdAt: now,
            updatedAt: now,
            deletedAt: null,
            deletionRequestedAt: null,
            statusBeforeDeletion: null,
            ephemeral: ephemeralForNewVersion(current, now),
            disabledAt: null,
            checksumAlgorithm,
          },
          sealed: sealPayload({ projectId: current.projectId, region, secretId, revision }, input.data),
          disablePrevious: input.disablePrevious === true,
        };
      });
      return view(appended.version, appended.secret.versionCount);
    },

    get: (actor: Actor, region: string, secretId: string, selector: RevisionSelector) =>
      loadVersion(actor, region, secretId, selector, 'secrets:secret:read'),

    async list(actor: Actor, region: string, secretId: string, statuses: VersionStatus[], page: PageRequest): Promise<Page<VersionView>> {
      assertRegion(regions, region);
      const secret = await loadSecret(store, iam, actor, region, secretId, 'secrets:secret:read');
      const listed = await store.listVersions(secretId, statuses, page);
      return { totalCount: listed.totalCount, items: listed.items.map((version) => view(version, secret.versionCount)) };
    },

    update: (actor: Actor, region: string, secretId: string, selector: RevisionSelector, input: UpdateVersionInput) => {
      const description = input.description === undefined ? undefined : validateDescription(input.description);
      return transition(actor, region, secretId, selector, 'secrets:version:update', (version, now) => ({
        ...version,
        description: description ?? version.description,
        ephemeral: input.ephemeralProperties === undefined ? version.ephemeral : input.ephemeralProperties,
        updatedAt: now,
      }));
    },

    enable: (actor: Actor, region: string, secretId: string, selector: RevisionSelector) =>
      transition(actor, region, secretId, selector, 'secrets:version:update', (version, now, _policy, secret) => {
        if (version.status === 'enabled') {
          return version;
        }
        if (version.status !== 'disabled') {
          throw preconditionFailed('secret_version_not_disabled', `secret version ${version.revision} is ${version.status} and cannot be enabled`);
        }
        // Enabling amounts to recreating the version: its expiry restarts from the current
        // policy and deactivate_version_after (as Vault's undelete re-arms deletion_time).
        return { ...version, status: 'enabled', ephemeral: ephemeralForNewVersion(secret, now), disabledAt: null, updatedAt: now };
      }),

    disable: (actor: Actor, region: string, secretId: string, selector: RevisionSelector) =>
      transition(actor, region, secretId, selector, 'secrets:version:update', (version, now) => {
        if (version.status === 'disabled') {
          return version;
        }
        if (version.status !== 'enabled') {
          throw preconditionFailed('secret_version_not_enabled', `secret version ${version.revision} is ${version.status} and cannot be disabled`);
        }
        return { ...version, status: 'disabled', disabledAt: now, updatedAt: now };
      }),

    /** Schedules a version for deletion; the purge erases its payload when the window ends. */
    async delete(actor: Actor, region: string, secretId: string, selector: RevisionSelector): Promise<void> {
      const version = await transition(actor, region, secretId, selector, 'secrets:version:delete', (current, now, policy) => {
        if (current.status === 'scheduled_for_deletion' || current.status === 'deleted') {
          return current;
        }
        // Versions of an ephemeral secret go at once, as on Scaleway.
        if (policy !== null) {
          return { ...current, status: 'deleted', deletedAt: now };
        }
        return { ...current, status: 'scheduled_for_deletion', statusBeforeDeletion: current.status, deletionRequestedAt: now };
      });
      if (version.status === 'deleted') {
        await store.erasePayload(secretId, version.revision, version.deletedAt ?? clock.nowMicros());
      }
    },

    restore: (actor: Actor, region: string, secretId: string, selector: RevisionSelector) =>
      transition(actor, region, secretId, selector, 'secrets:version:delete', (version, now) => {
        if (version.status !== 'scheduled_for_deletion') {
          throw preconditionFailed('secret_version_not_scheduled_for_deletion', `secret version ${version.revision} is not scheduled for deletion`);
        }
        return {
          ...version,
          status: version.statusBeforeDeletion ?? 'enabled',
          statusBeforeDeletion: null,
          deletionRequestedAt: null,
          updatedAt: now,
        };
      }),
  };
};

export type VersionService = ReturnType<typeof createVersionService>;
