import type { Clock } from './shared/clock.js';
import type { Logger } from './shared/logger.js';
import type { EventPublisher } from './core/events/event-types.js';
import type { KeyService } from './core/keys/index.js';
import { createRotation, SIGNING_SECRET_LABEL } from './core/rotation/index.js';
import type { SecretsAuthorizer } from './core/secrets/index.js';
import { deriveKey } from './crypto/index.js';
import type { Storage } from './storage/index.js';

/** Rotation's wiring, kept out of main.ts: the webhook signing secrets' sealing key is derived from the root key here. */
export const createSecretRotation = (deps: {
  storage: Pick<Storage, 'rotation' | 'secrets'>;
  keys: Pick<KeyService, 'prepareSealer' | 'openPayload'>;
  iam: SecretsAuthorizer;
  clock: Clock;
  regions: readonly string[];
  /** The root key's bytes, or a root key object that derives purpose keys itself. */
  rootKey: Uint8Array | { deriveKey(label: string): Buffer };
  logger: Logger;
  publisher: EventPublisher;
}) =>
  createRotation({
    store: deps.storage.rotation,
    secrets: deps.storage.secrets,
    keys: deps.keys,
    iam: deps.iam,
    clock: deps.clock,
    regions: deps.regions,
    sealingKey: deps.rootKey instanceof Uint8Array ? deriveKey(deps.rootKey, SIGNING_SECRET_LABEL) : deps.rootKey.deriveKey(SIGNING_SECRET_LABEL),
    publisher: deps.publisher,
    logger: deps.logger,
  });
