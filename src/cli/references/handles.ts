import { parseReference } from './parse.js';
import { ReferenceSyntaxError } from './errors.js';
import type { Scheme, SecretReference } from './types.js';

/** Values `run` resolves: the whole value is a reference of a known scheme, maybe vals-prefixed. */
const REFERENCE_START = /^(?:secretref\+|ref\+)?(?:coffer|scw|vault|aws|awssecrets|ovh):\/\//i;

export const looksLikeReference = (value: string): boolean => REFERENCE_START.test(value);

/**
 * Plakar's Control Plane stores a bare handle next to a chosen provider instance:
 * `secret/production/aws#access_key` (Vault), `staging/aws/s3/bucket1#access_key`
 * (AWS), `<secret id>#access_key` (Scaleway). The handle is taken literally (no
 * percent-decoding, `@` is part of the name) and `#field` is one top-level key.
 */
export const referenceFromHandle = (handle: string, scheme: Scheme, instance: string): SecretReference => {
  if (looksLikeReference(handle)) {
    return { ...parseReference(handle), instance };
  }
  const hash = handle.indexOf('#');
  const path = hash < 0 ? handle : handle.slice(0, hash);
  const field = hash < 0 ? undefined : handle.slice(hash + 1);
  const segments = path.split('/');
  const empty = segments.findIndex((segment) => segment === '' || segment === '.' || segment === '..');
  if (empty >= 0) {
    const column = segments.slice(0, empty).reduce((sum, segment) => sum + segment.length + 1, 0) + 1;
    throw new ReferenceSyntaxError(handle, column, 'empty, "." or ".." path segment in the handle');
  }
  if (field === '') {
    throw new ReferenceSyntaxError(handle, handle.length, 'empty field after "#"');
  }
  return { scheme, segments, instance, params: {}, selector: field === undefined ? undefined : { kind: 'key', key: field } };
};
