/**
 * Who may act: the scheduler runs its jobs only while it holds this lock, so that with
 * several processes on one database exactly one of them does the scheduled work.
 */
export interface LeaderLock {
  /**
   * True while this process holds the lock: takes it when free, and checks it is still
   * held when taken earlier (a lost database session loses it). Never throws for a lost
   * or unreachable database: that is simply "not leader" until a later attempt.
   */
  tryAcquire(): Promise<boolean>;
  /** Lets another process take over at once (on shutdown). */
  release(): Promise<void>;
}

/** A single-process store (SQLite): this process is always the leader. */
export const soleLeader: LeaderLock = {
  tryAcquire: async () => true,
  release: async () => {},
};
