import { MICROS_PER_SECOND, type Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { eventOf, type EventPublisher } from '../events/index.js';
import type { Secret, SecretStore } from '../secrets/index.js';
import { failed, type AttemptOutcome } from './attempt-outcome.js';
import { newRotationId, notRotatable, type createAttemptRunner } from './rotation-attempt.js';
import type { GeneratorSpec, RotationFailure, RotationRecord, RotationState } from './rotation-model.js';
import { backoffSeconds } from './policy-rules.js';
import type { RotationStore } from './rotation-store.js';
import type { SigningSecrets } from './webhook-signing.js';

export interface RunnerDeps {
  store: RotationStore;
  secrets: Pick<SecretStore, 'getSecret'>;
  attempts: ReturnType<typeof createAttemptRunner>;
  signing: SigningSecrets;
  publisher: EventPublisher;
  clock: Clock;
  logger: Logger;
}

/** How one claimed attempt ended, as the API and the CLI report it. */
export type RotationRun =
  | { outcome: 'rotated'; rotationId: string; attempts: number; revision: number; byReceiver: boolean }
  | { outcome: 'retrying'; rotationId: string; attempts: number; failure: RotationFailure; nextAttemptAt: number }
  | { outcome: 'failed'; rotationId: string; attempts: number; failure: RotationFailure };

/** A generator fails for good unless the store was briefly unavailable; then it tries again, a few times. */
const GENERATOR_MAX_ATTEMPTS = 3;

/** A claim's lease: longer than any attempt can take, so no other process starts one meanwhile. */
const leaseSeconds = (record: RotationRecord): number => (record.method.type === 'webhook' ? record.method.webhook.timeoutSeconds : 0) + 120;

/**
 * Claims a due rotation (compare-and-set on its next time), makes one attempt, then
 * writes where it stands: rotated, a retry with backoff, or failed with the current
 * version left in service until the next regular rotation.
 */
export const createRotationRunner = ({ store, secrets, attempts, signing, publisher, clock, logger }: RunnerDeps) => {
  const publish = async (secret: Secret, type: 'secret.rotated' | 'secret.rotation_failed', revision: number | null, details: Record<string, string | number | boolean | null>) => {
    try {
      await publisher.publish(eventOf(type, secret, { ...(revision === null ? {} : { revision }), details }));
    } catch (error) {
      // The rotation itself is recorded in the store; a lost notification must not undo it.
      logger.error({ err: error, secretId: secret.id, type }, 'publishing a rotation event failed');
    }
  };

  const attemptFor = async (record: RotationRecord, secret: Secret | null, rotationId: string, attempt: number, now: number): Promise<AttemptOutcome> => {
    const refusal = notRotatable(secret, now);
    if (secret === null || refusal !== null) {
      return failed('secret_not_rotatable', refusal ?? 'the secret no longer exists', false);
    }
    try {
      const signingSecret =
        record.signingKeyId !== null && record.sealedSigningSecret !== null ? signing.open(record.secretId, record.signingKeyId, record.sealedSigningSecret) : null;
      return await attempts.run({ secret, method: record.method, rotationId, attempt, disablePrevious: record.disablePrevious, signingSecret });
    } catch (error) {
      logger.error({ err: error, secretId: record.secretId }, 'rotation attempt failed');
      return failed('internal', 'the rotation failed inside Coffer; see the server log', true);
    }
  };

  return {
    /** A rotation asked for once, by a generator, on a secret without a policy: nothing to claim or record. */
    async runOneOff(secret: Secret, generator: GeneratorSpec): Promise<RotationRun> {
      const rotationId = newRotationId();
      const outcome = await attempts.run({ secret, method: { type: 'generator', generator }, rotationId, attempt: 1, disablePrevious: false, signingSecret: null });
      if (outcome.kind === 'rotated') {
        await publish(secret, 'secret.rotated', outcome.revision, { rotation_id: rotationId, attempts: 1, method: 'generator', by_receiver: false });
        return { outcome: 'rotated', rotationId, attempts: 1, revision: outcome.revision, byReceiver: false };
      }
      const failure: RotationFailure = { at: clock.nowMicros(), reason: outcome.reason, message: outcome.message, attempts: 1 };
      await publish(secret, 'secret.rotation_failed', null, { rotation_id: rotationId, attempts: 1, reason: outcome.reason });
      return { outcome: 'failed', rotationId, attempts: 1, failure };
    },

    /** Null when another process (or a new policy) got there first. */
    async runClaimed(record: RotationRecord, now: number): Promise<RotationRun | null> {
      const rotationId = record.state.rotationId ?? newRotationId();
      const attempt = record.state.attempts + 1;
      const lease = now + leaseSeconds(record) * MICROS_PER_SECOND;
      const claim: RotationState = { ...record.state, nextRotationAt: lease, leaseUntil: lease, rotationId, attempts: attempt, lastAttemptAt: now, updatedAt: now };
      if (!(await store.compareAndSetState(record.secretId, record.state.nextRotationAt, claim))) {
        return null;
      }
      const secret = await secrets.getSecret(record.region, record.secretId);
      const outcome = await attemptFor(record, secret, rotationId, attempt, now);
      const done = clock.nowMicros();
      const settled: RotationState = { ...claim, leaseUntil: null, updatedAt: done };
      let run: RotationRun;
      if (outcome.kind === 'rotated') {
        run = { outcome: 'rotated', rotationId, attempts: attempt, revision: outcome.revision, byReceiver: outcome.byReceiver };
        Object.assign(settled, { nextRotationAt: done + record.intervalSeconds * MICROS_PER_SECOND, rotationId: null, attempts: 0, lastRotatedAt: done, lastRevision: outcome.revision });
      } else {
        const failure: RotationFailure = { at: done, reason: outcome.reason, message: outcome.message, attempts: attempt };
        const maxAttempts = record.method.type === 'webhook' ? record.method.webhook.maxAttempts : GENERATOR_MAX_ATTEMPTS;
        if (outcome.retryable && attempt < maxAttempts) {
          const nextAttemptAt = done + backoffSeconds(attempt) * MICROS_PER_SECOND;
          run = { outcome: 'retrying', rotationId, attempts: attempt, failure, nextAttemptAt };
          Object.assign(settled, { nextRotationAt: nextAttemptAt, lastFailure: failure });
        } else {
          run = { outcome: 'failed', rotationId, attempts: attempt, failure };
          Object.assign(settled, { nextRotationAt: done + record.intervalSeconds * MICROS_PER_SECOND, rotationId: null, attempts: 0, lastFailure: failure });
        }
      }
      if (!(await store.compareAndSetState(record.secretId, lease, settled))) {
        logger.warn({ secretId: record.secretId }, 'the rotation policy changed during a rotation; its outcome is not recorded in the policy state');
      }
      if (secret !== null && run.outcome === 'rotated') {
        await publish(secret, 'secret.rotated', run.revision, { rotation_id: rotationId, attempts: attempt, method: record.method.type, by_receiver: run.byReceiver });
      }
      if (secret !== null && run.outcome === 'failed') {
        await publish(secret, 'secret.rotation_failed', null, { rotation_id: rotationId, attempts: attempt, reason: run.failure.reason });
      }
      return run;
    },
  };
};

export type RotationRunner = ReturnType<typeof createRotationRunner>;
