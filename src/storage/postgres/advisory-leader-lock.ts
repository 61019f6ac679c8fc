import pg from 'pg';
import type { LeaderLock } from '../../core/scheduler/index.js';

/** One number for "the scheduler's leader" among Coffer's advisory locks (the migration lock is 7311003). */
export const SCHEDULER_LOCK_KEY = 7311004;

/**
 * Leadership as a session-level advisory lock held on a connection of its own, outside
 * the pool: PostgreSQL drops the lock when that session ends, so a process that dies
 * (even by SIGKILL) frees it, and another takes it at its next pass.
 */
export const openAdvisoryLeaderLock = (url: string): LeaderLock => {
  let client: pg.Client | null = null;
  let held = false;

  const drop = async (): Promise<void> => {
    const current = client;
    client = null;
    held = false;
    await current?.end().catch(() => undefined);
  };

  const connect = async (): Promise<pg.Client> => {
    const fresh = new pg.Client({ connectionString: url, application_name: 'coffer-scheduler', connectionTimeoutMillis: 5_000, keepAlive: true });
    // A lost connection is noticed at the next check; it must not crash the process.
    fresh.on('error', () => {
      held = false;
    });
    try {
      await fresh.connect();
      // A leader cut off by the network (not dead) must not keep the lock for the kernel's
      // two-hour keepalive default: PostgreSQL ends this session after about 30 s of silence.
      await fresh.query('SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 4');
      return fresh;
    } catch (error) {
      await fresh.end().catch(() => undefined);
      throw error;
    }
  };

  return {
    async tryAcquire(): Promise<boolean> {
      try {
        if (client && held) {
          // Still our session? Then the lock is still ours.
          await client.query('SELECT 1');
          return true;
        }
        client ??= await connect();
        const result = await client.query<{ acquired: boolean }>('SELECT pg_try_advisory_lock($1) AS acquired', [SCHEDULER_LOCK_KEY]);
        held = result.rows[0]?.acquired === true;
        return held;
      } catch {
        await drop();
        return false;
      }
    },
    async release(): Promise<void> {
      // Ending the session releases every advisory lock it holds.
      await drop();
    },
  };
};
