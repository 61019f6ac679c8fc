import { MICROS_PER_SECOND, type Clock } from '../../shared/clock.js';

/**
 * A clock that runs with real time plus an offset that only moves forward. Tests advance
 * it over HTTP (the test clock) instead of sleeping; it never runs backwards, so
 * timestamps keep their order.
 */
export interface OffsetClock extends Clock {
  advance(seconds: number): void;
  offsetSeconds(): number;
}

export const createOffsetClock = (base: Clock): OffsetClock => {
  let offsetMicros = 0;
  return {
    nowMicros: () => base.nowMicros() + offsetMicros,
    advance: (seconds: number) => {
      if (!Number.isFinite(seconds) || seconds < 0) {
        throw new RangeError('the test clock only moves forward');
      }
      offsetMicros += Math.round(seconds * MICROS_PER_SECOND);
    },
    offsetSeconds: () => offsetMicros / MICROS_PER_SECOND,
  };
};
