import type { Clock } from '../../shared/clock.js';
import { MICROS_PER_SECOND } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';

export interface ThrottleSettings {
  /** Failed authentications one source may make per window before it is refused. */
  maxFailures: number;
  windowSeconds: number;
}

export const DEFAULT_THROTTLE: ThrottleSettings = { maxFailures: 20, windowSeconds: 60 };

const MAX_TRACKED_SOURCES = 10_000;

/**
 * Slows down guessing of secret keys: a source (an IP address) that fails too often in a
 * window is refused, valid key or not, until the window ends. Counts are per process;
 * several processes each apply the limit.
 */
export const createAuthThrottle = (clock: Clock, settings: ThrottleSettings = DEFAULT_THROTTLE) => {
  const failures = new Map<string, { count: number; windowEnds: number }>();

  const current = (source: string, now: number) => {
    const entry = failures.get(source);
    return entry && entry.windowEnds > now ? entry : null;
  };

  return {
    /** Throws `rate_limited` while the source is over its limit. */
    check(source: string): void {
      const now = clock.nowMicros();
      const entry = current(source, now);
      if (entry && entry.count >= settings.maxFailures) {
        throw new AppError('rate_limited', `too many failed authentications from this address; retry in ${Math.ceil((entry.windowEnds - now) / MICROS_PER_SECOND)} s`, {
          retryAfterSeconds: Math.max(1, Math.ceil((entry.windowEnds - now) / MICROS_PER_SECOND)),
          limit: { quota: settings.maxFailures, windowSeconds: settings.windowSeconds },
        });
      }
    },

    recordFailure(source: string): void {
      const now = clock.nowMicros();
      const entry = current(source, now) ?? { count: 0, windowEnds: now + settings.windowSeconds * MICROS_PER_SECOND };
      entry.count += 1;
      if (!failures.has(source) && failures.size >= MAX_TRACKED_SOURCES) {
        // A flood of sources must not grow memory without bound: forget the oldest one.
        const oldest = failures.keys().next().value;
        if (oldest !== undefined) {
          failures.delete(oldest);
        }
      }
      failures.set(source, entry);
    },
  };
};

export type AuthThrottle = ReturnType<typeof createAuthThrottle>;

/**
 * A request budget per API key: `perSecond` requests a second on average, in bursts of
 * up to twice that. 0 turns it off. Per process, like the failure throttle.
 */
export const createKeyRateLimit = (clock: Clock, perSecond: number) => {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const capacity = perSecond * 2;
  return {
    take(accessKey: string): void {
      if (perSecond <= 0) {
        return;
      }
      const now = clock.nowMicros();
      const bucket = buckets.get(accessKey) ?? { tokens: capacity, at: now };
      bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / MICROS_PER_SECOND) * perSecond);
      bucket.at = now;
      if (bucket.tokens < 1) {
        buckets.set(accessKey, bucket);
        throw new AppError('rate_limited', `this API key is limited to ${perSecond} requests a second`, {
          retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)),
          limit: { quota: perSecond, windowSeconds: 1 },
        });
      }
      bucket.tokens -= 1;
      if (!buckets.has(accessKey) && buckets.size >= MAX_TRACKED_SOURCES) {
        const oldest = buckets.keys().next().value;
        if (oldest !== undefined) {
          buckets.delete(oldest);
        }
      }
      buckets.set(accessKey, bucket);
    },
  };
};
