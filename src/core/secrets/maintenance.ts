import { MICROS_PER_SECOND } from '../../shared/clock.js';
import type { ScheduledJob } from '../scheduler/index.js';
import type { AccessService } from './access-service.js';
import type { SecretStore } from './secret-store.js';

export interface MaintenanceDeps {
  store: Pick<SecretStore, 'findSecretsDueForPurge' | 'purgeSecret' | 'findVersionsDueForPurge' | 'erasePayload'>;
  access: Pick<AccessService, 'expireDueVersions'>;
  /** How long a version deleted on its own can be restored; Scaleway's is 7 days. Secrets carry their own window. */
  retentionSeconds: number;
}

/** Work per job and pass; what is left waits for the next pass. */
const BATCH = 500;

/**
 * The secrets' share of the scheduler: scheduled deletions whose window has passed are
 * erased for good, and ephemeral policies whose time ran out are applied. Each job finds
 * its due work in the store and every step is idempotent, so a pass cut short is simply
 * run again, by this process or the next leader.
 */
export const createSecretMaintenanceJobs = ({ store, access, retentionSeconds }: MaintenanceDeps): ScheduledJob[] => [
  {
    name: 'secrets.purge',
    async runDue(now) {
      const ids = await store.findSecretsDueForPurge(now, BATCH);
      for (const id of ids) {
        await store.purgeSecret(id);
      }
      return ids.length;
    },
  },
  {
    name: 'versions.purge',
    async runDue(now) {
      const due = await store.findVersionsDueForPurge(now - retentionSeconds * MICROS_PER_SECOND, BATCH);
      for (const { secretId, revision } of due) {
        await store.erasePayload(secretId, revision, now);
      }
      return due.length;
    },
  },
  {
    name: 'versions.ephemeral_expiry',
    runDue: () => access.expireDueVersions(BATCH),
  },
];
