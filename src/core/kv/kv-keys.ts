import { invalidField } from '../../shared/errors.js';
import { normalizePath, validateName, type Secret } from '../secrets/index.js';

/** Where a KV key lives among Coffer's secrets: `a/b/c` is path `/a/b`, name `c`. */
export interface SecretLocation {
  path: string;
  name: string;
}

const MAX_KEY_LENGTH = 1024;

const invalidKey = (message: string) => invalidField('path', 'format', message);

/**
 * Splits a KV key into Coffer's path and name. Empty segments, `.` and `..` are refused
 * rather than normalized: a client that sends them means something we would guess at.
 */
export const locateKey = (key: string): SecretLocation => {
  if (key.length === 0) {
    throw invalidField('path', 'required', 'missing path');
  }
  if (key.length > MAX_KEY_LENGTH) {
    throw invalidKey(`path must be at most ${MAX_KEY_LENGTH} characters`);
  }
  const segments = key.split('/');
  if (segments.some((segment) => segment === '')) {
    throw invalidKey(`path "${key.slice(0, 64)}" has an empty segment`);
  }
  const name = segments.pop() ?? '';
  const path = normalizePath(`/${segments.join('/')}`, 'path');
  return { path, name: validateName(name, 'path') };
};

/** A folder to list: `""` is the root, `a/b` and `a/b/` are the same folder. */
export const locateFolder = (folder: string): string => {
  const trimmed = folder.endsWith('/') ? folder.slice(0, -1) : folder;
  if (trimmed === '') {
    return '/';
  }
  if (trimmed.split('/').some((segment) => segment === '')) {
    throw invalidKey(`path "${folder.slice(0, 64)}" has an empty segment`);
  }
  return normalizePath(`/${trimmed}`, 'path');
};

export const keyOf = (secret: Pick<Secret, 'path' | 'name'>): string =>
  secret.path === '/' ? secret.name : `${secret.path.slice(1)}/${secret.name}`;
