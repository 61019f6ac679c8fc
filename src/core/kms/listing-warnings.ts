import { AsyncLocalStorage } from 'node:async_hooks';
import { formatMicros, MICROS_PER_SECOND } from '../../shared/clock.js';
import type { KmsStore } from './kms-store.js';

/**
 * Listings warn when a secret's key is scheduled for deletion, whatever API lists it.
 * The warning travels out of band (a request-scoped sink the HTTP layer installs), so
 * no listing shape has to change and every API gets it the same way.
 */
const sinks = new AsyncLocalStorage<(warning: string) => void>();

/** Runs `fn` (the rest of a request) with `sink` receiving the warnings its listings raise. */
export const withKeyWarnings = <T>(sink: (warning: string) => void, fn: () => T): T => sinks.run(sink, fn);

export const createListingWarnings = (store: Pick<KmsStore, 'getKeys'>, retentionSeconds: number) =>
  /** Raises one warning per key scheduled for deletion among the listed secrets' keys. */
  async (listed: readonly { keyId: string | null }[]): Promise<void> => {
    const sink = sinks.getStore();
    if (!sink) {
      return;
    }
    const ids = [...new Set(listed.map((secret) => secret.keyId).filter((id): id is string => id !== null))];
    if (ids.length === 0) {
      return;
    }
    for (const key of await store.getKeys(ids)) {
      if (key.state === 'scheduled_for_deletion' && key.deletionRequestedAt !== null) {
        const count = listed.filter((secret) => secret.keyId === key.id).length;
        const purgeAt = formatMicros(key.deletionRequestedAt + retentionSeconds * MICROS_PER_SECOND);
        sink(`key ${key.id} protecting ${count} listed secret${count === 1 ? '' : 's'} is scheduled for deletion; their data is destroyed at ${purgeAt} unless the key is restored`);
      }
    }
  };
