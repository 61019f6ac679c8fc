import { hkdfSync } from 'node:crypto';

/**
 * A key for one purpose, derived from the root key: the label keeps purposes apart,
 * and nothing derived can be turned back into the root key.
 */
export const deriveKey = (rootKey: Uint8Array, label: string): Buffer => Buffer.from(hkdfSync('sha256', rootKey, Buffer.alloc(0), label, 32));
