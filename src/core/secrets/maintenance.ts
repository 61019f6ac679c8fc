import { MICROS_PER_SECOND, type Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { AccessService } from './access-service.js';
import type { SecretStore } from './secret-store.js';

export interface MaintenanceDeps {
  store: Pick<SecretStore, 'findSecretsDueForPurge' | 'purgeSecret' | 'findVersionsDueForPurge' | 'erasePayload'>;
  access: Pick<AccessService, 'expireDueVersions'>;
  clock: Clock;
  logger: Logger;
  /** How long a scheduled deletion can be undone; Scaleway's is 7 days. */
  retentionSeconds: number;
}

const BATCH = 500;

/**
 * The background job: ends scheduled deletions whose window has passed (erasing the
 * data for good) and applies ephemeral policies whose time ran out. Every step is
 * idempotent, so several processes may run it against one database.
 */
export const createMaintenance = ({ store, access, clock, logger, retentionSeconds }: MaintenanceDeps) => {
  const runOnce = async (): Promise<{ purgedSecrets: number; erasedVersions: number; expiredVersions: number }> => {
    const cutoff = clock.nowMicros() - retentionSeconds * MICROS_PER_SECOND;
    let purgedSecrets = 0;
    for (let ids = await store.findSecretsDueForPurge(cutoff, BATCH); ids.length > 0; ids = await store.findSecretsDueForPurge(cutoff, BATCH)) {
      for (const id of ids) {
        await store.purgeSecret(id);
      }
      purgedSecrets += ids.length;
    }
    let erasedVersions = 0;
    for (let due = await store.findVersionsDueForPurge(cutoff, BATCH); due.length > 0; due = await store.findVersionsDueForPurge(cutoff, BATCH)) {
      for (const { secretId, revision } of due) {
        await store.erasePayload(secretId, revision, clock.nowMicros());
      }
      erasedVersions += due.length;
    }
    const expiredVersions = await access.expireDueVersions(BATCH);
    return { purgedSecrets, erasedVersions, expiredVersions };
  };

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  return {
    runOnce,
    start(intervalSeconds: number): void {
      timer = setInterval(() => {
        if (running) {
          return;
        }
        running = runOnce()
          .then((result) => {
            if (result.purgedSecrets + result.erasedVersions + result.expiredVersions > 0) {
              logger.info(result, 'maintenance pass');
            }
          })
          .catch((error: unknown) => logger.error({ err: error }, 'maintenance pass failed'))
          .finally(() => {
            running = undefined;
          });
      }, intervalSeconds * 1000);
      timer.unref();
    },
    async stop(): Promise<void> {
      clearInterval(timer);
      await running;
    },
  };
};

export type Maintenance = ReturnType<typeof createMaintenance>;
