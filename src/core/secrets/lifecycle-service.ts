import type { Clock } from '../../shared/clock.js';
import { preconditionFailed } from '../../shared/errors.js';
import type { Actor } from '../iam/index.js';
import { assertNotScheduledForDeletion, assertRegion, loadSecret, type SecretsAuthorizer } from './secret-guards.js';
import type { Secret } from './secret-model.js';
import { validateExpiration } from './secret-rules.js';
import type { SecretStore } from './secret-store.js';

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
  };
};

export type LifecycleService = ReturnType<typeof createLifecycleService>;
