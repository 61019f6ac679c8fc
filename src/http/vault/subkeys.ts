import { isPlainObject } from '../../core/kv/index.js';

/**
 * Vault's subkeys: every leaf becomes null; a leaf is anything but a non-empty object.
 * `depth` 0 shows every level, N at most N levels of keys.
 */
export const subkeysOf = (data: Record<string, unknown>, depth: number, level = 1): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(data).map(([key, value]) => [
      key,
      isPlainObject(value) && Object.keys(value).length > 0 && (depth === 0 || level < depth) ? subkeysOf(value, depth, level + 1) : null,
    ]),
  );
