/**
 * The seam between the one scheduler and the work it drives (expiry, purges, rotations,
 * webhook deliveries). A job finds its own due work in the store, so it needs no memory
 * of earlier passes and another process can take over after a crash.
 */
export interface ScheduledJob {
  /** Stable name, used in logs and metrics. */
  readonly name: string;
  /**
   * Does the work due at `nowMicros` (at most a bounded batch) and returns how many
   * items it handled. Must be idempotent: a pass cut short is simply run again.
   */
  runDue(nowMicros: number): Promise<number>;
}
