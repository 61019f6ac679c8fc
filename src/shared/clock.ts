import { performance } from 'node:perf_hooks';

/**
 * Time source injected everywhere. Times are integer microseconds since the epoch,
 * because the Scaleway wire format carries six fractional digits and ordering by
 * creation time must not tie within one millisecond.
 */
export interface Clock {
  nowMicros(): number;
}

export const systemClock: Clock = {
  nowMicros: () => Math.floor((performance.timeOrigin + performance.now()) * 1000),
};

export const MICROS_PER_SECOND = 1_000_000;

/** RFC 3339 UTC with exactly six fractional digits, as every Scaleway timestamp is written. */
export const formatMicros = (micros: number): string => {
  const millis = Math.floor(micros / 1000);
  const iso = new Date(millis).toISOString();
  const extra = String(micros % 1000).padStart(3, '0');
  return `${iso.slice(0, -1)}${extra}Z`;
};

/** Parses an RFC 3339 timestamp into microseconds, or returns null when it is not one. */
export const parseTimestampMicros = (text: string): number | null => {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!match) {
    return null;
  }
  const [, base, fraction = '', zone] = match;
  const millis = Date.parse(`${base}${zone}`);
  if (Number.isNaN(millis)) {
    return null;
  }
  return millis * 1000 + Number(fraction.padEnd(6, '0').slice(0, 6));
};
