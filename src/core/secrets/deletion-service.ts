import { invalidField, preconditionFailed } from '../../shared/errors.js';
import type { Actor } from '../iam/index.js';
import { assertNotScheduledForDeletion, assertRegion, loadSecret, type SecretsAuthorizer } from './secret-guards.js';
import type { Secret } from './secret-model.js';
import type { SecretService } from './secret-service.js';
import type { SecretStore } from './secret-store.js';

export const MIN_DELETION_WINDOW_DAYS = 7;
export const MAX_DELETION_WINDOW_DAYS = 30;
const SECONDS_PER_DAY = 86_400;

/** What a caller asks of Coffer's own deletion endpoint. */
export interface DeletionRequest {
  /** Days until the purge, 7 to 30; the configured default when absent. */
  windowDays?: number | undefined;
  /** Purge at once, for good; needs `confirm`. */
  force?: boolean | undefined;
  /** Must repeat the secret's id when `force` is set: a purge cannot be undone. */
  confirm?: string | undefined;
}

export interface DeletionOutcome {
  /** The secret as it now stands, or null once purged. */
  secret: Secret | null;
  purged: boolean;
}

export interface DeletionServiceDeps {
  store: Pick<SecretStore, 'getSecret' | 'purgeSecret'>;
  iam: SecretsAuthorizer;
  regions: readonly string[];
  secrets: Pick<SecretService, 'delete'>;
}

const validWindowDays = (days: number): number => {
  if (!Number.isInteger(days) || days < MIN_DELETION_WINDOW_DAYS || days > MAX_DELETION_WINDOW_DAYS) {
    throw invalidField(
      'window_days',
      'constraint',
      `window_days must be a whole number of days from ${MIN_DELETION_WINDOW_DAYS} to ${MAX_DELETION_WINDOW_DAYS}`,
    );
  }
  return days;
};

/**
 * Pending deletion with a window chosen per request, and the forced purge. The wire
 * APIs' own deletes keep the default window through `SecretService.delete`.
 */
export const createDeletionService = ({ store, iam, regions, secrets }: DeletionServiceDeps) => {
  const forcePurge = async (actor: Actor, region: string, id: string, request: DeletionRequest): Promise<DeletionOutcome> => {
    if (request.windowDays !== undefined) {
      throw invalidField('window_days', 'constraint', 'force purges at once: it takes no window_days');
    }
    const secret = await loadSecret(store, iam, actor, region, id, 'secrets:secret:delete');
    // Checked after authorization, so the answer does not tell strangers the id exists.
    if (request.confirm?.toLowerCase() !== secret.id) {
      throw invalidField('confirm', 'constraint', 'force destroys the secret at once and for good: set confirm to the secret id to go ahead');
    }
    if (secret.protected) {
      throw preconditionFailed('protected_resource', 'cannot delete a protected secret');
    }
    await store.purgeSecret(secret.id);
    return { secret: null, purged: true };
  };

  return {
    async scheduleDeletion(actor: Actor, region: string, id: string, request: DeletionRequest): Promise<DeletionOutcome> {
      assertRegion(regions, region);
      if (request.force === true) {
        return forcePurge(actor, region, id, request);
      }
      if (request.confirm !== undefined) {
        throw invalidField('confirm', 'constraint', 'confirm goes with force; a scheduled deletion needs none');
      }
      const windowSeconds = request.windowDays === undefined ? undefined : validWindowDays(request.windowDays) * SECONDS_PER_DAY;
      assertNotScheduledForDeletion(await loadSecret(store, iam, actor, region, id, 'secrets:secret:delete'));
      const secret = await secrets.delete(actor, region, id, windowSeconds);
      return { secret, purged: secret === null };
    },
  };
};

export type DeletionService = ReturnType<typeof createDeletionService>;
