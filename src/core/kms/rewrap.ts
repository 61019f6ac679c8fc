import { open, seal } from '../../crypto/index.js';
import { secretDataKeyAad } from './kms-crypto.js';
import type { KmsContext } from './kms-context.js';
import type { CustomerKey, RewrapProgress } from './kms-model.js';

const BATCH = 200;

/**
 * Re-wraps the data keys of a key's secrets under its current version, in batches and
 * in the background, so a rotation answers at once and reads keep working meanwhile:
 * each row names the version that wraps it, and every version is kept. A row a
 * concurrent re-wrap (another process) moved first is skipped by compare-and-set.
 */
export const createRewrapper = (ctx: KmsContext) => {
  const { store, keyring, logger } = ctx;
  const running = new Map<string, Promise<number>>();

  const rewrapAll = async (keyId: string): Promise<number> => {
    let done = 0;
    for (;;) {
      const key = await store.getKey(keyId);
      if (!key || key.currentVersion === 0) {
        return done;
      }
      const current = await keyring.byNumber(key, key.currentVersion);
      if (!current) {
        return done;
      }
      const batch = await store.listDataKeysNotUnder(key.id, current.record.id, BATCH);
      if (batch.length === 0) {
        return done;
      }
      let progressed = false;
      for (const row of batch) {
        const old = await keyring.byId(key, row.kekId);
        if (!old) {
          continue;
        }
        const dek = open(old, row.wrappedDek, secretDataKeyAad(key.id, row.kekId, row.secretId, row.revision, row.dekId));
        const wrappedDek = seal(current.material, dek, secretDataKeyAad(key.id, current.record.id, row.secretId, row.revision, row.dekId));
        if (await store.rewrapDataKey({ ...row, kekId: current.record.id, wrappedDek }, row.kekId)) {
          done += 1;
          progressed = true;
        }
      }
      // Nothing moved: a newer rotation or another process owns what is left.
      if (!progressed) {
        return done;
      }
    }
  };

  /** Re-wraps now and resolves when the key's data keys are all under its current version. */
  const run = (keyId: string): Promise<number> => {
    const inFlight = running.get(keyId);
    if (inFlight) {
      return inFlight.then(() => rewrapAll(keyId));
    }
    const task = rewrapAll(keyId).finally(() => running.delete(keyId));
    running.set(keyId, task);
    return task;
  };

  return {
    run,

    /** Starts a re-wrap in the background; a failure is logged and the periodic job retries. */
    kick(keyId: string): void {
      if (running.has(keyId)) {
        return;
      }
      void run(keyId).catch((error: unknown) => logger.error({ err: error, keyId }, 'key re-wrap failed'));
    },

    async progress(key: CustomerKey): Promise<RewrapProgress> {
      const current = key.currentVersion === 0 ? null : await store.getVersion(key.id, key.currentVersion);
      const counts = current ? await store.countDataKeys(key.id, current.id) : { total: 0, underVersion: 0 };
      return { keyId: key.id, currentVersion: key.currentVersion, total: counts.total, underCurrent: counts.underVersion };
    },

    /** Waits for background re-wraps (on shutdown). */
    async settle(): Promise<void> {
      await Promise.allSettled([...running.values()]);
    },
  };
};

export type Rewrapper = ReturnType<typeof createRewrapper>;
