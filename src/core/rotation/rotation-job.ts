import type { ScheduledJob } from '../scheduler/scheduled-job.js';
import type { RotationRunner } from './rotation-runner.js';
import type { RotationStore } from './rotation-store.js';

const BATCH = 50;
/** Webhook calls wait on the network, so a few run side by side; generators are quick either way. */
const PARALLEL = 4;

/**
 * The scheduler's rotation job: finds due rotations in the store and claims each by
 * compare-and-set, so that even two processes running it rotate each secret once.
 */
export const createRotationJob = (store: RotationStore, runner: RotationRunner): ScheduledJob => ({
  name: 'rotation',
  async runDue(nowMicros: number): Promise<number> {
    const due = await store.findDue(nowMicros, BATCH);
    let handled = 0;
    const work = async (item: { secretId: string; nextRotationAt: number }): Promise<void> => {
      const record = await store.getPolicy(item.secretId);
      // Gone, replaced, or claimed since the query: nothing is due here any more.
      if (record === null || record.state.nextRotationAt !== item.nextRotationAt || record.state.nextRotationAt > nowMicros) {
        return;
      }
      if ((await runner.runClaimed(record, nowMicros)) !== null) {
        handled += 1;
      }
    };
    for (let start = 0; start < due.length; start += PARALLEL) {
      await Promise.all(due.slice(start, start + PARALLEL).map(work));
    }
    return handled;
  },
});
