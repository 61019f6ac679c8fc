import { MICROS_PER_SECOND } from '../../shared/clock.js';
import { isAppError } from '../../shared/errors.js';
import { rotatedKey } from './key-operations.js';
import type { KmsContext } from './kms-context.js';
import type { Rewrapper } from './rewrap.js';

const BATCH = 100;

/**
 * The key manager's share of the background job: rotations whose policy says they are
 * due, re-wraps left unfinished (a process stopped mid-way), and purges of keys whose
 * deletion window has passed. Every step is idempotent, so several processes may run it.
 */
export const createKmsMaintenance = (ctx: KmsContext, rewrapper: Rewrapper) => {
  const { store, clock, keyring } = ctx;

  const rotateDue = async (): Promise<number> => {
    const now = clock.nowMicros();
    let rotated = 0;
    for (const id of await store.findKeysDueForRotation(now, BATCH)) {
      try {
        const key = await store.updateKey(id, (current) => {
          // Another process may have rotated it since the query; then nothing is due.
          const due = current.state === 'enabled' && current.origin !== 'external' && current.rotationPolicy !== null && current.rotationPolicy.nextRotationAt <= now;
          return due ? rotatedKey(keyring, current, now) : { key: current };
        });
        if (key.updatedAt === now) {
          rotated += 1;
          rewrapper.kick(key.id);
        }
      } catch (error) {
        // A key purged in the meantime has nothing left to rotate.
        if (!isAppError(error) || error.code !== 'not_found') {
          throw error;
        }
      }
    }
    return rotated;
  };

  const purgeDue = async (): Promise<{ keys: number; versions: number }> => {
    const cutoff = clock.nowMicros() - ctx.retentionSeconds * MICROS_PER_SECOND;
    let keys = 0;
    let versions = 0;
    for (const id of await store.findKeysDueForPurge(cutoff, BATCH)) {
      versions += await store.purgeKey(id, clock.nowMicros());
      keyring.forget(id);
      keys += 1;
    }
    return { keys, versions };
  };

  const runOnce = async (): Promise<{ rotatedKeys: number; purgedKeys: number; erasedVersions: number; rewrapped: number }> => {
    const rotatedKeys = await rotateDue();
    let rewrapped = 0;
    for (const id of await store.findKeysNeedingRewrap(BATCH)) {
      rewrapped += await rewrapper.run(id);
    }
    const purged = await purgeDue();
    return { rotatedKeys, purgedKeys: purged.keys, erasedVersions: purged.versions, rewrapped };
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
            if (result.rotatedKeys + result.purgedKeys + result.rewrapped > 0) {
              ctx.logger.info(result, 'key manager maintenance pass');
            }
          })
          .catch((error: unknown) => ctx.logger.error({ err: error }, 'key manager maintenance pass failed'))
          .finally(() => {
            running = undefined;
          });
      }, intervalSeconds * 1000);
      timer.unref();
    },
    async stop(): Promise<void> {
      clearInterval(timer);
      await running;
      await rewrapper.settle();
    },
  };
};

export type KmsMaintenance = ReturnType<typeof createKmsMaintenance>;
