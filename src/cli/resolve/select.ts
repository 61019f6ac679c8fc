import type { Selector } from '../references/index.js';
import { ResolutionError } from './errors.js';

const describe = (selector: Selector): string =>
  selector.kind === 'key' ? `field "${selector.key}"` : `JSON Pointer "/${selector.tokens.map((t) => t.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}"`;

const isContainer = (value: unknown): value is Record<string, unknown> | unknown[] => typeof value === 'object' && value !== null;

const step = (value: unknown, token: string): { found: boolean; value?: unknown } => {
  if (Array.isArray(value)) {
    // RFC 6901: an array index is "0" or a number without leading zeros.
    if (!/^(0|[1-9][0-9]*)$/.test(token) || Number(token) >= value.length) {
      return { found: false };
    }
    return { found: true, value: value[Number(token)] };
  }
  if (isContainer(value) && Object.hasOwn(value, token)) {
    return { found: true, value: (value as Record<string, unknown>)[token] };
  }
  return { found: false };
};

/**
 * The text a reference stands for. Without a selector: the payload as UTF-8. With
 * one: the payload parsed as JSON, the key or pointer followed, a string returned
 * raw and anything else as compact JSON. Errors never quote the payload.
 */
export const selectValue = (payload: Buffer, selector: Selector | undefined, reference: string): string => {
  if (!selector) {
    return payload.toString('utf8');
  }
  let document: unknown;
  try {
    document = JSON.parse(payload.toString('utf8'));
  } catch {
    throw new ResolutionError('not_json', reference, `the payload is not JSON, so ${describe(selector)} cannot be selected`);
  }
  const tokens = selector.kind === 'key' ? [selector.key] : selector.tokens;
  let current: unknown = document;
  for (const token of tokens) {
    const next = step(current, token);
    if (!next.found) {
      throw new ResolutionError('missing_field', reference, `${describe(selector)} is not in the payload`);
    }
    current = next.value;
  }
  return typeof current === 'string' ? current : JSON.stringify(current);
};
