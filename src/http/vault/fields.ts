import { parseDurationSeconds } from '../go-duration.js';

/** A request field Vault's framework could not convert: always a 400 with this text. */
export class VaultRequestError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export type RequestData = Record<string, unknown>;

const show = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value) ?? String(value));

const conversionError = (field: string, detail: string): VaultRequestError =>
  new VaultRequestError(`Field validation failed: error converting input for field "${field}": ${detail}`);

/** Go's strconv.ParseBool. */
export const parseGoBool = (text: string): boolean | null => {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) {
    return true;
  }
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) {
    return false;
  }
  return null;
};

// Query parameters arrive as strings, or arrays when repeated; Vault takes the first.
const single = (value: unknown): unknown => (Array.isArray(value) && value.every((item) => typeof item === 'string') ? value[0] : value);

/** Weak typing, as Vault's framework decodes fields: `"5"` is 5, `true` is 1. */
export const weakInt = (field: string, raw: unknown): number => {
  const value = single(raw);
  if (typeof value === 'number' && Number.isInteger(value)) {
    return value;
  }
  if (typeof value === 'boolean') {
    return value ? 1 : 0;
  }
  if (typeof value === 'string' && /^[-+]?[0-9]+$/.test(value.trim())) {
    return Number(value.trim());
  }
  if (typeof value === 'string' && value.trim() === '') {
    return 0;
  }
  throw conversionError(field, `cannot parse '${show(value)}' as int`);
};

export const weakBool = (field: string, raw: unknown): boolean => {
  const value = single(raw);
  if (typeof value === 'boolean') {
    return value;
  }
  if (typeof value === 'number') {
    return value !== 0;
  }
  if (typeof value === 'string') {
    const parsed = value === '' ? false : parseGoBool(value);
    if (parsed !== null) {
      return parsed;
    }
  }
  throw conversionError(field, `cannot parse '${show(value)}' as bool`);
};

export const weakDuration = (field: string, raw: unknown): number => {
  const value = single(raw);
  const seconds = typeof value === 'number' || typeof value === 'string' ? parseDurationSeconds(value) : null;
  if (seconds === null) {
    throw conversionError(field, `time: invalid duration "${show(value)}"`);
  }
  return seconds;
};

/** Vault's comma-int slice: `[1, 2]`, `2` or `"1,2"`. */
export const weakIntList = (field: string, raw: unknown): number[] => {
  if (Array.isArray(raw)) {
    return raw.flatMap((item) => (typeof item === 'string' && item.includes(',') ? weakIntList(field, item) : [weakInt(field, item)]));
  }
  if (typeof raw === 'string') {
    return raw
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .map((part) => weakInt(field, part));
  }
  return raw === null || raw === undefined ? [] : [weakInt(field, raw)];
};

/** Go type names in conversion errors, so the messages read like Vault's. */
const goType = (value: unknown): string =>
  Array.isArray(value) ? '[]interface {}' : value !== null && typeof value === 'object' ? 'map[string]interface {}' : typeof value;

/** A map of strings; scalars convert, `null` stays when `keepNulls` (PATCH deletes those keys). */
export const weakStringMap = (field: string, raw: unknown, keepNulls: boolean): Record<string, string | null> => {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw conversionError(field, `'' expected a map, got '${goType(raw)}'`);
  }
  const result = new Map<string, string | null>();
  for (const [key, value] of Object.entries(raw)) {
    if (value === null) {
      result.set(key, keepNulls ? null : '');
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      result.set(key, String(value));
    } else {
      throw new VaultRequestError(
        `1 error occurred:\n\t* ${field} validation failed: '[${key}]' expected type 'string', got unconvertible type '${goType(value)}', value: '${show(value)}'\n\n`,
      );
    }
  }
  return Object.fromEntries(result);
};

/** Vault's warning for fields an endpoint does not know, sorted as Go prints them. */
export const unknownFieldsWarning = (data: RequestData, known: readonly string[]): string[] => {
  const unknown = Object.keys(data).filter((key) => !known.includes(key)).sort();
  return unknown.length === 0 ? [] : [`Endpoint ignored these unrecognized parameters: [${unknown.join(' ')}]`];
};
