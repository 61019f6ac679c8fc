import { invalidField } from '../../shared/errors.js';

/**
 * Naming rules for secrets. Scaleway documents paths as `/`-separated segments of
 * alphanumerics, `.`, `_` and `-`; OVHcloud's secret paths also allow `:`, `=` and `@`,
 * and since both APIs name the same secrets, segments take the union. Names follow the
 * same alphabet and never hold `/`.
 */
const SEGMENT = /^[A-Za-z0-9._:=@-]{1,255}$/;
const ALPHABET = 'letters, digits, ".", "_", "-", ":", "=" and "@"';
const MAX_PATH_LENGTH = 1024;
const MAX_DESCRIPTION_LENGTH = 1024;
const MAX_TAGS = 64;
const MAX_TAG_LENGTH = 255;

/** Normalizes a path: leading `/` required, trailing `/` dropped, `//` collapsed. */
export const normalizePath = (raw: string | null | undefined, field = 'path'): string => {
  if (raw === null || raw === undefined || raw === '') {
    return '/';
  }
  if (!raw.startsWith('/')) {
    throw invalidField(field, 'format', `${field} must start with "/"`);
  }
  if (raw.length > MAX_PATH_LENGTH) {
    throw invalidField(field, 'constraint', `${field} must be at most ${MAX_PATH_LENGTH} characters`);
  }
  const segments = raw.split('/').filter((segment) => segment !== '');
  for (const segment of segments) {
    if (segment === '.' || segment === '..' || !SEGMENT.test(segment)) {
      throw invalidField(
        field,
        'format',
        `${field} segment "${segment.slice(0, 64)}" must be 1-255 characters among ${ALPHABET}`,
      );
    }
  }
  return `/${segments.join('/')}`;
};

export const validateName = (name: string, field = 'name'): string => {
  if (name.length === 0) {
    throw invalidField(field, 'required', `${field} is required`);
  }
  if (!SEGMENT.test(name) || name === '.' || name === '..') {
    throw invalidField(field, 'format', `${field} must be 1-255 characters among ${ALPHABET}`);
  }
  return name;
};

export const validateDescription = (description: string | null | undefined): string => {
  const value = description ?? '';
  if (value.includes('\u0000')) {
    throw invalidField('description', 'format', 'description must not contain NUL characters');
  }
  if (value.length > MAX_DESCRIPTION_LENGTH) {
    throw invalidField('description', 'constraint', `description must be at most ${MAX_DESCRIPTION_LENGTH} characters`);
  }
  return value;
};

/** Tags keep their order; duplicates are dropped. */
export const validateTags = (tags: readonly string[] | null | undefined): string[] => {
  const unique = [...new Set(tags ?? [])];
  if (unique.length > MAX_TAGS) {
    throw invalidField('tags', 'constraint', `a secret has at most ${MAX_TAGS} tags`);
  }
  for (const tag of unique) {
    if (tag.includes('\u0000')) {
      throw invalidField('tags', 'format', 'tags must not contain NUL characters');
    }
    if (tag.length === 0 || tag.length > MAX_TAG_LENGTH) {
      throw invalidField('tags', 'constraint', `each tag must be 1-${MAX_TAG_LENGTH} characters`);
    }
  }
  return unique;
};

/** An expiration must lie ahead: a secret created or set to expire in the past would be dead on arrival. */
export const validateExpiration = (expiresAt: number | null, nowMicros: number): number | null => {
  if (expiresAt !== null && expiresAt <= nowMicros) {
    throw invalidField('expires_at', 'constraint', 'expires_at must be in the future');
  }
  return expiresAt;
};
