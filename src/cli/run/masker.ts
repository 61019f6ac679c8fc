import { Transform, type TransformCallback } from 'node:stream';

export const MASK = '<concealed by coffer>';
export const DEFAULT_MIN_LENGTH = 4;

/**
 * The byte strings to hide for a set of values: each value, and each line of a
 * multi-line value, when at least `minLength` bytes long (shorter ones would mask
 * every "1" or "true"). Longest first, so the longest match wins.
 */
export const maskPatterns = (values: Iterable<string>, minLength = DEFAULT_MIN_LENGTH): { patterns: Buffer[]; skipped: number } => {
  const unique = new Set<string>();
  let skipped = 0;
  for (const value of values) {
    const candidates = value.includes('\n') ? [value, ...value.split(/\r?\n/)] : [value];
    for (const candidate of candidates) {
      if (Buffer.byteLength(candidate) >= minLength) {
        unique.add(candidate);
      } else if (candidate === value && value !== '') {
        skipped += 1;
      }
    }
  }
  const patterns = [...unique].map((text) => Buffer.from(text, 'utf8')).sort((a, b) => b.length - a.length);
  return { patterns, skipped };
};

/**
 * A streaming redactor over bytes. It emits everything that cannot be the start of a
 * secret and holds back only a tail that is a proper prefix of one, so a value split
 * across chunks is still caught while ordinary output (a prompt without a newline)
 * is not delayed.
 */
export class Masker extends Transform {
  private pending = Buffer.alloc(0);
  private readonly firstBytes: Set<number>;
  private readonly replacement: Buffer;

  constructor(
    private readonly patterns: Buffer[],
    replacement = MASK,
  ) {
    super();
    this.firstBytes = new Set(patterns.map((pattern) => pattern[0] ?? -1));
    this.replacement = Buffer.from(replacement, 'utf8');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    this.drain(false);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.drain(true);
    callback();
  }

  private drain(final: boolean): void {
    const input = this.pending;
    const out: Buffer[] = [];
    let start = 0;
    let index = 0;
    while (index < input.length) {
      if (!this.firstBytes.has(input[index] ?? -1)) {
        index += 1;
        continue;
      }
      const match = this.matchAt(input, index, final);
      if (match === 'wait') {
        break;
      }
      if (match === 0) {
        index += 1;
        continue;
      }
      out.push(input.subarray(start, index), this.replacement);
      index += match;
      start = index;
    }
    const emitUpTo = index >= input.length ? input.length : index;
    out.push(input.subarray(start, emitUpTo));
    this.pending = Buffer.from(input.subarray(emitUpTo));
    const bytes = Buffer.concat(out);
    if (bytes.length > 0) {
      this.push(bytes);
    }
  }

  /** The length of the longest pattern at `index`, 0 for none, or "wait" while a longer one may still arrive. */
  private matchAt(input: Buffer, index: number, final: boolean): number | 'wait' {
    const available = input.length - index;
    for (const pattern of this.patterns) {
      if (available >= pattern.length) {
        if (input.compare(pattern, 0, pattern.length, index, index + pattern.length) === 0) {
          return pattern.length;
        }
      } else if (!final && input.compare(pattern, 0, available, index, input.length) === 0) {
        return 'wait';
      }
    }
    return 0;
  }
}
