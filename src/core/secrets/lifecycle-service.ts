import type { Clock } from '../../shared/clock.js';
import { invalidField, preconditionFailed } from '../../shared/errors.js';
import type { Actor } from '../iam/index.js';
import { assertNotScheduledForDeletion, assertRegion, loadSecret, type SecretsAuthorizer } from './secret-guards.js';
import type { Secret, SecretKvMetadata } from './secret-model.js';
import { validateExpiration } from './secret-rules.js';
import type { SecretStore } from './secret-store.js';

/** What a secret's KV metadata is before any key/value API set something. */
const NO_KV_METADATA: SecretKvMetadata = { maxVersions: 0, casRequired: false, deleteVersionAfterSeconds: 0, customMetadata: null, oldestVersion: 0 };
/** A hundred years: longer is a typo, not a policy. */
const MAX_DEACTIVATE_AFTER_SECONDS = 100 * 366 * 86_400;

export interface LifecycleServiceDeps {
  store: SecretStore;
  iam: SecretsAuthorizer;
  clock: Clock;
  regions: readonly string[];
}

/** Deactivation, reactivation and expiration of whole secrets, on top of their versions' own states. */
export const createLifecycleService = ({ store, iam, clock, regions }: LifecycleServiceDeps) => {
  const change = async (actor: Actor, region: string, id: string, apply: (secret: Secret, now: number) => Secret): Promise<Secret> => {
    assertRegion(regions, region);
    assertNotScheduledForDeletion(await loadSecret(store, iam, actor, region, id, 'secrets:secret:update'));
    return store.updateSecret(region, id, (secret) => {
      assertNotScheduledForDeletion(secret);
      return { secret: apply(secret, clock.nowMicros()) };
    });
  };

  return {
    /** Its versions become unreadable, through every API, until it is enabled again. */
    disable: (actor: Actor, region: string, id: string) =>
      change(actor, region, id, (secret, now) => {
        if (secret.disabledAt !== null) {
          throw preconditionFailed('secret_already_disabled', `secret ${secret.id} is disabled already`);
        }
        return { ...secret, disabledAt: now, updatedAt: now };
      }),
    enable: (actor: Actor, region: string, id: string) =>
      change(actor, region, id, (secret, now) => {
        if (secret.disabledAt === null) {
          throw preconditionFailed('secret_not_disabled', `secret ${secret.id} is not disabled`);
        }
        return { ...secret, disabledAt: null, updatedAt: now };
      }),
    /** A time ahead, or null to remove the expiration. */
    setExpiration: (actor: Actor, region: string, id: string, expiresAt: number | null) =>
      change(actor, region, id, (secret, now) => ({ ...secret, expiresAt: validateExpiration(expiresAt, now), updatedAt: now })),
    /**
     * Versions created from now on are disabled once they are this old (0: never), through
     * every API: the same field as OVHcloud's `deactivateVersionAfter` and Vault's
     * `delete_version_after`, which also apply to new versions only.
     */
    setDeactivateVersionAfter: (actor: Actor, region: string, id: string, seconds: number) => {
      if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_DEACTIVATE_AFTER_SECONDS) {
        throw invalidField('deactivate_version_after', 'constraint', 'deactivate_version_after must be a whole number of seconds from 0 (never) to 100 years');
      }
      return change(actor, region, id, (secret, now) => ({
        ...secret,
        kvMetadata: { ...(secret.kvMetadata ?? NO_KV_METADATA), deleteVersionAfterSeconds: seconds },
        updatedAt: now,
      }));
    },
  };
};

export type LifecycleService = ReturnType<typeof createLifecycleService>;
