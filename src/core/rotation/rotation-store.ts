import type { RotationRecord, RotationState } from './rotation-model.js';

/**
 * Persistence of rotation policies, one per secret, removed with it. Claims are
 * compare-and-set on `next_rotation_at`, so two processes never run one rotation twice.
 */
export interface RotationStore {
  /** Inserts or replaces the policy of `record.secretId`. */
  putPolicy(record: RotationRecord): Promise<void>;
  getPolicy(secretId: string): Promise<RotationRecord | null>;
  /** False when there was none. */
  deletePolicy(secretId: string): Promise<boolean>;
  /** Policies whose next attempt is due at `now`, the most overdue first. */
  findDue(now: number, limit: number): Promise<{ secretId: string; nextRotationAt: number }[]>;
  /**
   * Writes `state` only if the row's `next_rotation_at` is still `expectedNextRotationAt`;
   * false when another process (or a new policy) moved it first.
   */
  compareAndSetState(secretId: string, expectedNextRotationAt: number, state: RotationState): Promise<boolean>;
}
