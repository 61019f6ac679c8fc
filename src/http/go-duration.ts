/**
 * Durations as Vault reads and writes them. In: an integer or numeric string is seconds,
 * a trailing `d` means whole days, anything else is a Go duration (`1h30m`, `1.5h`,
 * `-1h`); the result is truncated to whole seconds. Out: Go's `Duration.String()`.
 */
const UNIT_SECONDS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  μs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

const GO_DURATION = /^([0-9]*\.?[0-9]+)(ns|us|µs|μs|ms|s|m|h)/;

/** Seconds, or null when the text is not a duration. */
export const parseDurationSeconds = (input: string | number): number | null => {
  if (typeof input === 'number') {
    return Number.isFinite(input) ? Math.trunc(input) : null;
  }
  const text = input.trim();
  if (text === '') {
    return 0;
  }
  if (/^[-+]?[0-9]+$/.test(text)) {
    return Number(text);
  }
  if (/^[-+]?[0-9]+d$/.test(text)) {
    return Number(text.slice(0, -1)) * 86400;
  }
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') {
    return 0;
  }
  let total = 0;
  while (rest.length > 0) {
    const match = GO_DURATION.exec(rest);
    if (!match) {
      return null;
    }
    const [whole, amount = '', unit = ''] = match;
    total += Number(amount) * (UNIT_SECONDS[unit] ?? 0);
    rest = rest.slice(whole.length);
  }
  return sign * Math.trunc(total + 1e-9);
};

/** Go's `time.Duration.String()` for whole seconds: `0s`, `45s`, `5m0s`, `1h0m0s`. */
export const formatDurationSeconds = (seconds: number): string => {
  if (seconds === 0) {
    return '0s';
  }
  const sign = seconds < 0 ? '-' : '';
  let rest = Math.abs(Math.trunc(seconds));
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  const secs = rest - minutes * 60;
  if (hours > 0) {
    return `${sign}${hours}h${minutes}m${secs}s`;
  }
  if (minutes > 0) {
    return `${sign}${minutes}m${secs}s`;
  }
  return `${sign}${secs}s`;
};
