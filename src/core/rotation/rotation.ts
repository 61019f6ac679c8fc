import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { EventPublisher } from '../events/event-types.js';
import type { KeyService } from '../keys/index.js';
import type { ScheduledJob } from '../scheduler/scheduled-job.js';
import type { SecretsAuthorizer, SecretStore } from '../secrets/index.js';
import { createAttemptRunner } from './rotation-attempt.js';
import { createRotationJob } from './rotation-job.js';
import { createRotationRunner } from './rotation-runner.js';
import { createRotationService, type RotationService } from './rotation-service.js';
import type { RotationStore } from './rotation-store.js';
import { fetchTransport, type WebhookTransport } from './webhook-client.js';
import { createSigningSecrets } from './webhook-signing.js';

export interface RotationDeps {
  store: RotationStore;
  secrets: SecretStore;
  keys: Pick<KeyService, 'prepareSealer' | 'openPayload'>;
  iam: SecretsAuthorizer;
  clock: Clock;
  regions: readonly string[];
  /** Derived from the root key with SIGNING_SECRET_LABEL; seals webhook signing secrets. */
  sealingKey: Uint8Array;
  publisher: EventPublisher;
  logger: Logger;
  transport?: WebhookTransport;
}

/** Secret rotation: the API's service and the scheduler's job, over one runner. */
export const createRotation = (deps: RotationDeps): { service: RotationService; job: ScheduledJob } => {
  const signing = createSigningSecrets(deps.sealingKey);
  const attempts = createAttemptRunner({ secrets: deps.secrets, keys: deps.keys, transport: deps.transport ?? fetchTransport, clock: deps.clock });
  const runner = createRotationRunner({ store: deps.store, secrets: deps.secrets, attempts, signing, publisher: deps.publisher, clock: deps.clock, logger: deps.logger });
  return {
    service: createRotationService({ store: deps.store, secrets: deps.secrets, runner, signing, iam: deps.iam, clock: deps.clock, regions: deps.regions }),
    job: createRotationJob(deps.store, runner),
  };
};
