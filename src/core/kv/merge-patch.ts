/** JSON merge patch (RFC 7386): objects merge recursively, `null` removes, anything else replaces. */
export const mergePatch = (target: unknown, patch: unknown): unknown => {
  if (!isPlainObject(patch)) {
    return patch;
  }
  const result = new Map(Object.entries(isPlainObject(target) ? target : {}));
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      result.delete(key);
    } else {
      result.set(key, mergePatch(result.get(key), value));
    }
  }
  return Object.fromEntries(result);
};

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
