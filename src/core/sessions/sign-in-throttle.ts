import { AppError } from '../../shared/errors.js';
import { MICROS_PER_SECOND, type Clock } from '../../shared/clock.js';

const MAX_TRACKED_SOURCES = 10_000;

/**
 * Slows down password guessing from one address: after `maxFailures` wrong passwords in
 * a minute the address is refused, right password or not, until the minute ends. Counted
 * per process, like API key failures.
 */
export const createSignInThrottle = (clock: Clock, maxFailures: number) => {
  const failures = new Map<string, { count: number; windowEnds: number }>();
  const windowMicros = 60 * MICROS_PER_SECOND;

  return {
    check(source: string): void {
      const now = clock.nowMicros();
      const entry = failures.get(source);
      if (entry && entry.windowEnds > now && entry.count >= maxFailures) {
        const retryAfterSeconds = Math.max(1, Math.ceil((entry.windowEnds - now) / MICROS_PER_SECOND));
        throw new AppError('rate_limited', `too many failed sign-ins from this address; retry in ${retryAfterSeconds} s`, {
          retryAfterSeconds,
          limit: { quota: maxFailures, windowSeconds: 60 },
        });
      }
    },
    recordFailure(source: string): void {
      const now = clock.nowMicros();
      const entry = failures.get(source);
      if (entry && entry.windowEnds > now) {
        entry.count += 1;
        return;
      }
      if (failures.size >= MAX_TRACKED_SOURCES) {
        failures.clear();
      }
      failures.set(source, { count: 1, windowEnds: now + windowMicros });
    },
  };
};
