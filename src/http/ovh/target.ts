import { invalidField } from '../../shared/errors.js';

export const MAX_VERSION_ID = 24000;

/** What a URL below `/secret/` addresses. */
export type SecretTarget =
  | { kind: 'secret'; path: string }
  | { kind: 'versions'; path: string }
  | { kind: 'version'; path: string; version: number };

/** `/api/{okmsId}/v2/secret/…`: the segments before the secret's path. */
const SEGMENTS_BEFORE_PATH = 5;

const decodeSegment = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalidField('path', 'format', 'path is not valid percent-encoding');
  }
};

export const parseVersionId = (text: string, field = 'version'): number => {
  const version = /^[0-9]{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(version >= 1 && version <= MAX_VERSION_ID)) {
    throw invalidField(field, 'format', `${field} must be an integer from 1 to ${MAX_VERSION_ID}`);
  }
  return version;
};

/**
 * Splits a request URL into the secret's path and what it addresses. The URL is read
 * raw, before percent-decoding, because a secret path holds slashes: OVHcloud's SDK
 * sends it as one segment with each `/` encoded as `%2F`, and curl users type the
 * slashes. Only literal slashes separate a trailing `/version` or `/version/{n}`, so
 * `a%2Fversion` is the secret `a/version`, while `a/version` lists the versions of `a`.
 */
export const secretTargetOf = (rawUrl: string): SecretTarget => {
  const queryAt = rawUrl.indexOf('?');
  const rawPath = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  const segments = rawPath.split('/').slice(SEGMENTS_BEFORE_PATH);
  if (segments.length > 1 && segments.at(-1) === '') {
    segments.pop();
  }
  const pathOf = (count: number) => segments.slice(0, count).map(decodeSegment).join('/');
  const count = segments.length;
  if (count >= 2 && segments[count - 1] === 'version') {
    return { kind: 'versions', path: pathOf(count - 1) };
  }
  if (count >= 3 && segments[count - 2] === 'version') {
    return { kind: 'version', path: pathOf(count - 2), version: parseVersionId(decodeSegment(segments[count - 1] ?? '')) };
  }
  return { kind: 'secret', path: pathOf(count) };
};
