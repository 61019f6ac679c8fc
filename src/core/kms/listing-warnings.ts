import { formatMicros, MICROS_PER_SECOND } from '../../shared/clock.js';
import type { Actor } from '../iam/index.js';
import type { KmsStore } from './kms-store.js';

type Sink = (warning: string) => void;

/**
 * Listings warn when a secret's key is scheduled for deletion, whatever API lists it.
 * The warning travels out of band, to a sink the HTTP layer attaches to the request's
 * actor, so no listing shape has to change and every API gets it the same way. (An
 * AsyncLocalStorage would do it without the actor, but on Node 20 it slows every
 * promise of every request.)
 */
export const createListingWarnings = (store: Pick<KmsStore, 'getKeys'>, retentionSeconds: number) => {
  const sinks = new WeakMap<Actor, Sink>();
  return {
    /** Where warnings raised for this actor's request go. */
    collectWarnings(actor: Actor, sink: Sink): void {
      sinks.set(actor, sink);
    },

    /** Raises one warning per key scheduled for deletion among the listed secrets' keys. */
    async warnAboutListed(actor: Actor, listed: readonly { keyId: string | null }[]): Promise<void> {
      const sink = sinks.get(actor);
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
    },
  };
};
