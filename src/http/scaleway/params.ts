import { SECRET_TYPES, VERSION_STATUSES, type RevisionSelector, type SecretType } from '../../core/secrets/index.js';
import { invalidField } from '../../shared/errors.js';
import { isUuid } from '../../shared/ids.js';
import type { PageRequest } from '../../shared/paging.js';

/**
 * Query and path parameters as the three SDKs send them: repeated keys for arrays,
 * `True`/`true` for booleans, and the Go defaults (`unknown_type`, empty strings)
 * meaning "no filter".
 */
export type Query = Record<string, string | string[] | undefined>;

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;

export const single = (query: Query, key: string): string | undefined => {
  const value = query[key];
  return Array.isArray(value) ? value[value.length - 1] : value;
};

export const many = (query: Query, key: string): string[] => {
  const value = query[key];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((item) => item !== '');
};

export const optionalText = (query: Query, key: string): string | null => {
  const value = single(query, key);
  return value === undefined || value === '' ? null : value;
};

export const optionalBoolean = (query: Query, key: string): boolean | null => {
  const value = single(query, key);
  if (value === undefined || value === '') {
    return null;
  }
  const lowered = value.toLowerCase();
  if (lowered !== 'true' && lowered !== 'false') {
    throw invalidField(key, 'format', `${key} must be true or false`);
  }
  return lowered === 'true';
};

const integer = (query: Query, key: string, fallback: number, min: number, max: number): number => {
  const value = single(query, key);
  if (value === undefined || value === '') {
    return fallback;
  }
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw invalidField(key, 'constraint', `${key} must be an integer from ${min} to ${max}`);
  }
  return Number(value);
};

export const pageOf = (query: Query): PageRequest => {
  const pageSize = integer(query, 'page_size', DEFAULT_PAGE_SIZE, 0, MAX_PAGE_SIZE);
  return {
    page: integer(query, 'page', 1, 1, 2 ** 31 - 1),
    // Python and Go send 0 for "server default".
    pageSize: pageSize === 0 ? DEFAULT_PAGE_SIZE : pageSize,
  };
};

export const secretTypeFilter = (query: Query): SecretType | null => {
  const value = optionalText(query, 'type');
  if (value === null || value === 'unknown_type') {
    return null;
  }
  return parseSecretType(value, 'type');
};

export const parseSecretType = (value: string, field: string): SecretType => {
  const found = SECRET_TYPES.find((type) => type === value);
  if (!found) {
    throw invalidField(field, 'constraint', `${field} must be one of ${SECRET_TYPES.join(', ')}`);
  }
  return found;
};

export const versionStatuses = (query: Query) =>
  many(query, 'status')
    .filter((status) => status !== 'unknown_status')
    .map((status) => {
      const found = VERSION_STATUSES.find((known) => known === status);
      if (!found) {
        throw invalidField('status', 'constraint', `status must be one of ${VERSION_STATUSES.join(', ')}`);
      }
      return found;
    });

export const ORDERS = ['name_asc', 'name_desc', 'created_at_asc', 'created_at_desc', 'updated_at_asc', 'updated_at_desc'] as const;

export const orderOf = (query: Query) => {
  const value = optionalText(query, 'order_by') ?? 'name_asc';
  const found = ORDERS.find((order) => order === value);
  if (!found) {
    throw invalidField('order_by', 'constraint', `order_by must be one of ${ORDERS.join(', ')}`);
  }
  return found;
};

export const uuidParam = (value: string | undefined, field: string): string => {
  if (value === undefined || !isUuid(value)) {
    throw invalidField(field, 'format', `${field} must be a UUID`);
  }
  return value.toLowerCase();
};

export const optionalUuid = (value: string | null | undefined, field: string): string | null => {
  if (value === null || value === undefined || value === '') {
    return null;
  }
  return uuidParam(value, field);
};

export const revisionParam = (value: string | undefined): RevisionSelector => {
  if (value === 'latest' || value === 'latest_enabled') {
    return value;
  }
  if (value === undefined || !/^[1-9]\d{0,9}$/.test(value) || Number(value) > 0xffffffff) {
    throw invalidField('revision', 'format', 'revision must be a positive integer, "latest" or "latest_enabled"');
  }
  return Number(value);
};

