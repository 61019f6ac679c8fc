import { ReferenceSyntaxError } from './errors.js';
import { percentDecode } from './percent.js';
import { SCHEME_PARAMS, SCHEMES, type Scheme, type SecretReference, type Selector } from './types.js';

/** vals' backend names that differ from ours. */
const SCHEME_ALIASES: Record<string, Scheme> = { awssecrets: 'aws' };
const PREFIXES = ['secretref+', 'ref+'];
const VERSION_PATTERN = /^[A-Za-z0-9_.-]+$/;
const NUMBER_PATTERN = /^[1-9][0-9]{0,9}$/;

/** Which version tokens each scheme understands; the message names them. */
const VERSION_RULES: Record<Scheme, { test: (version: string) => boolean; expected: string }> = {
  coffer: { test: (v) => NUMBER_PATTERN.test(v) || v === 'latest' || v === 'latest_enabled', expected: 'a revision number, latest or latest_enabled' },
  scw: { test: (v) => NUMBER_PATTERN.test(v) || v === 'latest' || v === 'latest_enabled', expected: 'a revision number, latest or latest_enabled' },
  vault: { test: (v) => NUMBER_PATTERN.test(v), expected: 'a version number' },
  ovh: { test: (v) => NUMBER_PATTERN.test(v), expected: 'a version number' },
  aws: { test: (v) => VERSION_PATTERN.test(v), expected: 'AWSCURRENT, AWSPREVIOUS, another stage label or a version id' },
};

/** Every raw index is an offset into the text as given, so errors point at the fault. */
class Cursor {
  constructor(readonly text: string) {}
  fail(offset: number, reason: string): never {
    throw new ReferenceSyntaxError(this.text, offset + 1, reason);
  }
  decode(raw: string, start: number): string {
    const decoded = percentDecode(raw);
    if (!decoded.ok) {
      this.fail(start + decoded.offset, decoded.reason);
    }
    return decoded.text;
  }
}

const parseScheme = (cursor: Cursor, start: number): { scheme: Scheme; next: number } => {
  const separator = cursor.text.indexOf('://', start);
  if (separator < 0) {
    cursor.fail(start, 'expected "<scheme>://", e.g. vault://secret/app#password');
  }
  const name = cursor.text.slice(start, separator).toLowerCase();
  if (!/^[a-z][a-z0-9]*$/.test(name)) {
    cursor.fail(start, `"${name}" is not a scheme name`);
  }
  const scheme = SCHEME_ALIASES[name] ?? SCHEMES.find((known) => known === name);
  if (!scheme) {
    cursor.fail(start, `unknown scheme "${name}" (expected ${SCHEMES.join(', ')})`);
  }
  return { scheme, next: separator + 3 };
};

const parseLocator = (cursor: Cursor, raw: string, start: number): { segments: string[]; version?: string; versionAt: number } => {
  if (raw === '') {
    cursor.fail(start, 'the locator (what comes after "://") is empty');
  }
  const segments: string[] = [];
  let version: string | undefined;
  let versionAt = -1;
  let offset = start;
  const parts = raw.split('/');
  parts.forEach((part, index) => {
    let segment = part;
    if (index === parts.length - 1 && part.includes('@')) {
      const at = part.lastIndexOf('@');
      version = part.slice(at + 1);
      versionAt = offset + at + 1;
      segment = part.slice(0, at);
      if (version === '') {
        cursor.fail(versionAt, 'empty version after "@"');
      }
    }
    if (segment === '') {
      cursor.fail(offset, 'empty path segment (two "/" in a row, or a leading or trailing "/")');
    }
    const decoded = cursor.decode(segment, offset);
    if (decoded === '.' || decoded === '..') {
      cursor.fail(offset, `"${decoded}" is not allowed as a path segment`);
    }
    segments.push(decoded);
    offset += part.length + 1;
  });
  return { segments, ...(version === undefined ? {} : { version }), versionAt };
};

const parseParams = (cursor: Cursor, scheme: Scheme, raw: string, start: number): { params: Record<string, string>; at: Record<string, number> } => {
  const params: Record<string, string> = {};
  const at: Record<string, number> = {};
  let offset = start;
  for (const pair of raw.split('&')) {
    const equals = pair.indexOf('=');
    if (equals <= 0) {
      cursor.fail(offset, 'expected "name=value" in the query');
    }
    const key = pair.slice(0, equals);
    const allowed = ['version', 'instance', ...SCHEME_PARAMS[scheme]];
    if (!allowed.includes(key)) {
      cursor.fail(offset, `unknown parameter "${key}" for ${scheme}:// (allowed: ${allowed.join(', ')})`);
    }
    if (key in params) {
      cursor.fail(offset, `parameter "${key}" is given twice`);
    }
    const value = cursor.decode(pair.slice(equals + 1), offset + equals + 1);
    if (value === '') {
      cursor.fail(offset + equals + 1, `parameter "${key}" has an empty value`);
    }
    params[key] = value;
    at[key] = offset + equals + 1;
    offset += pair.length + 1;
  }
  return { params, at };
};

/** RFC 6901: the fragment is percent-decoded first, then split on "/" with ~1 and ~0 unescaped. */
const parseSelector = (cursor: Cursor, raw: string, start: number): Selector => {
  if (raw === '') {
    cursor.fail(start, 'empty selector after "#"');
  }
  const decoded = cursor.decode(raw, start);
  if (!decoded.startsWith('/')) {
    return { kind: 'key', key: decoded };
  }
  const tokens = decoded.slice(1).split('/').map((token) => {
    if (/~(?![01])/.test(token)) {
      cursor.fail(start, `"~" in a JSON Pointer must be written ~0 (for "~") or ~1 (for "/")`);
    }
    return token.replace(/~1/g, '/').replace(/~0/g, '~');
  });
  return { kind: 'pointer', tokens };
};

/**
 * Parses `[ref+|secretref+]scheme://locator[@version][?params][#selector][+]`.
 * Hand-written rather than `new URL()`: WHATWG URLs leave `%xx` raw in non-special
 * schemes and choke on ARNs in the authority.
 */
export const parseReference = (text: string): SecretReference => {
  const cursor = new Cursor(text);
  const prefix = PREFIXES.find((candidate) => text.toLowerCase().startsWith(candidate));
  // vals ends an embedded expression with "+"; only with its prefix is that unambiguous.
  const end = prefix && text.endsWith('+') ? text.length - 1 : text.length;
  const { scheme, next } = parseScheme(cursor, prefix?.length ?? 0);
  const body = text.slice(next, end);
  const hash = body.indexOf('#');
  const beforeHash = hash < 0 ? body : body.slice(0, hash);
  const question = beforeHash.indexOf('?');
  // `vault://secret/app#password?version=3` is how people write it: a query may also
  // follow the selector, so a literal "?" in a selector is written %3F.
  const afterHash = hash < 0 ? '' : body.slice(hash + 1);
  const lateQuestion = afterHash.indexOf('?');
  if (question >= 0 && lateQuestion >= 0) {
    cursor.fail(next + hash + 1 + lateQuestion, 'give the query once, before or after the selector');
  }
  const queryAt = question >= 0 ? question : lateQuestion >= 0 ? hash + 1 + lateQuestion : -1;
  const locatorRaw = question < 0 ? beforeHash : beforeHash.slice(0, question);
  const located = parseLocator(cursor, locatorRaw, next);
  const queryRaw = question >= 0 ? beforeHash.slice(question + 1) : lateQuestion >= 0 ? afterHash.slice(lateQuestion + 1) : undefined;
  const { params, at } = queryRaw === undefined ? { params: {}, at: {} } : parseParams(cursor, scheme, queryRaw, next + queryAt + 1);
  const selectorRaw = lateQuestion >= 0 ? afterHash.slice(0, lateQuestion) : afterHash;
  const selector = hash < 0 ? undefined : parseSelector(cursor, selectorRaw, next + hash + 1);

  const { version: versionParam, instance, ...rest } = params as Record<string, string | undefined>;
  if (located.version !== undefined && versionParam !== undefined) {
    cursor.fail(at.version ?? 0, 'the version is given both as "@" and as ?version=');
  }
  const version = located.version ?? versionParam;
  const versionAt = located.version === undefined ? (at.version ?? 0) : located.versionAt;
  if (version !== undefined && !VERSION_RULES[scheme].test(version)) {
    cursor.fail(versionAt, `version "${version}" is not ${VERSION_RULES[scheme].expected}`);
  }
  if (scheme === 'aws' && version !== undefined && (rest.version_id || rest.version_stage)) {
    cursor.fail(versionAt, 'give the version once: "@", ?version_id= or ?version_stage=');
  }
  if (instance !== undefined && !/^[A-Za-z0-9_.-]+$/.test(instance)) {
    cursor.fail(at.instance ?? 0, 'an instance name has only letters, digits, "-", "_" and "."');
  }
  if (rest.by !== undefined && rest.by !== 'id' && rest.by !== 'path') {
    cursor.fail(at.by ?? 0, '"by" is "id" or "path"');
  }
  const cleanParams = Object.fromEntries(Object.entries(rest).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return { scheme, segments: located.segments, version, instance, params: cleanParams, selector };
};
