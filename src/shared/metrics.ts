/**
 * The ports through which core/ and storage/ report to the metrics exporter without
 * knowing it: main.ts hands each module the meter it needs, or none.
 */

/** A cache reports each lookup as a hit or a miss. */
export interface CacheMeter {
  hit(): void;
  miss(): void;
}

export const NO_CACHE_METER: CacheMeter = { hit: () => {}, miss: () => {} };

/** Records one observed value: a size, or a duration in seconds. */
export type Observe = (value: number) => void;
