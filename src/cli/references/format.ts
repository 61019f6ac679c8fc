import { percentEncode, SEGMENT_EXTRA, VALUE_EXTRA } from './percent.js';
import type { SecretReference, Selector } from './types.js';

const formatSelector = (selector: Selector): string => {
  // A key starting with "/" would read back as a pointer: write it as a one-token pointer.
  const tokens = selector.kind === 'pointer' ? selector.tokens : selector.key.startsWith('/') ? [selector.key] : undefined;
  if (tokens === undefined) {
    return percentEncode(selector.kind === 'key' ? selector.key : '', VALUE_EXTRA.replace('/', ''));
  }
  return tokens.map((token) => `/${percentEncode(token.replace(/~/g, '~0').replace(/\//g, '~1'), VALUE_EXTRA.replace('/', ''))}`).join('');
};

/**
 * The canonical text of a reference: no prefix, version as `@v`, parameters sorted,
 * minimal percent-encoding. It is the cache key and the text errors show.
 */
export const formatReference = (reference: SecretReference, options: { withSelector?: boolean } = {}): string => {
  const locator = reference.segments.map((segment) => percentEncode(segment, SEGMENT_EXTRA)).join('/');
  const version = reference.version === undefined ? '' : `@${reference.version}`;
  const params: Record<string, string> = { ...reference.params, ...(reference.instance === undefined ? {} : { instance: reference.instance }) };
  const query = Object.keys(params)
    .sort()
    .map((key) => `${key}=${percentEncode(params[key] ?? '', VALUE_EXTRA)}`)
    .join('&');
  const selector = reference.selector && options.withSelector !== false ? `#${formatSelector(reference.selector)}` : '';
  return `${reference.scheme}://${locator}${version}${query ? `?${query}` : ''}${selector}`;
};
