import type { Clock } from '../../shared/clock.js';
import { MICROS_PER_SECOND } from '../../shared/clock.js';
import { invalidField, preconditionFailed } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { Actor } from '../iam/index.js';
import { assertNotScheduledForDeletion, assertRegion, authorizeSecret, type Secret, type SecretsAuthorizer, type SecretStore } from '../secrets/index.js';
import { assertGeneratorFits } from './payload-target.js';
import { notRotatable } from './rotation-attempt.js';
import { validateInterval, validateMethod } from './policy-rules.js';
import { MAX_INTERVAL_SECONDS, type GeneratorSpec, type RotationMethod, type RotationRecord, type RotationState } from './rotation-model.js';
import type { RotationRun, RotationRunner } from './rotation-runner.js';
import type { RotationStore } from './rotation-store.js';
import type { SigningSecrets } from './webhook-signing.js';

export interface RotationServiceDeps {
  store: RotationStore;
  secrets: Pick<SecretStore, 'getSecret'>;
  runner: RotationRunner;
  signing: SigningSecrets;
  iam: SecretsAuthorizer;
  clock: Clock;
  regions: readonly string[];
}

export interface RotationPolicyInput {
  intervalSeconds: number;
  /** Null: one interval from now. A time in the past makes it due at once. */
  nextRotationAt: number | null;
  method: RotationMethod;
  disablePrevious: boolean;
  /** Replace the webhook's signing secret even if the policy has one already. */
  renewSigningSecret: boolean;
}

const idleState = (previous: RotationState | null, nextRotationAt: number, now: number): RotationState => ({
  nextRotationAt,
  rotationId: null,
  attempts: 0,
  leaseUntil: null,
  lastAttemptAt: previous?.lastAttemptAt ?? null,
  lastRotatedAt: previous?.lastRotatedAt ?? null,
  lastRevision: previous?.lastRevision ?? null,
  lastFailure: previous?.lastFailure ?? null,
  updatedAt: now,
});

/** Rotation policies and rotate-now, for callers holding `secrets:secret:rotate` (reading needs `read`). */
export const createRotationService = ({ store, secrets, runner, signing, iam, clock, regions }: RotationServiceDeps) => {
  const load = async (actor: Actor, region: string, id: string, action: 'secrets:secret:read' | 'secrets:secret:rotate'): Promise<Secret> => {
    assertRegion(regions, region);
    return authorizeSecret(iam, actor, await secrets.getSecret(region, id), id, action);
  };

  return {
    /** Sets or replaces the policy; a new webhook signing secret is returned this once, and never again. */
    async setPolicy(actor: Actor, region: string, id: string, input: RotationPolicyInput): Promise<{ secret: Secret; record: RotationRecord; signingSecret: string | null }> {
      const secret = await load(actor, region, id, 'secrets:secret:rotate');
      assertNotScheduledForDeletion(secret);
      const intervalSeconds = validateInterval(input.intervalSeconds);
      const method = validateMethod(input.method);
      if (method.type === 'generator') {
        assertGeneratorFits(secret.type, method.generator);
      }
      const now = clock.nowMicros();
      if (input.nextRotationAt !== null && Math.abs(input.nextRotationAt - now) > MAX_INTERVAL_SECONDS * MICROS_PER_SECOND) {
        throw invalidField('next_rotation_at', 'constraint', 'next_rotation_at must be within 10 years of now');
      }
      const existing = await store.getPolicy(id);
      let signingKeyId: string | null = null;
      let sealedSigningSecret: Uint8Array | null = null;
      let signingSecret: string | null = null;
      if (method.type === 'webhook') {
        if (existing?.signingKeyId && existing.sealedSigningSecret && !input.renewSigningSecret) {
          ({ signingKeyId, sealedSigningSecret } = existing);
        } else {
          signingKeyId = newId();
          signingSecret = signing.generate();
          sealedSigningSecret = signing.seal(id, signingKeyId, signingSecret);
        }
      }
      const record: RotationRecord = {
        secretId: id,
        region,
        intervalSeconds,
        method,
        disablePrevious: input.disablePrevious,
        signingKeyId,
        sealedSigningSecret,
        createdAt: existing?.createdAt ?? now,
        state: idleState(existing?.state ?? null, input.nextRotationAt ?? now + intervalSeconds * MICROS_PER_SECOND, now),
      };
      await store.putPolicy(record);
      return { secret, record, signingSecret };
    },

    async getPolicy(actor: Actor, region: string, id: string): Promise<{ secret: Secret; record: RotationRecord | null }> {
      const secret = await load(actor, region, id, 'secrets:secret:read');
      return { secret, record: await store.getPolicy(id) };
    },

    /** Idempotent: clearing a policy that is not there is not an error. */
    async clearPolicy(actor: Actor, region: string, id: string): Promise<void> {
      await load(actor, region, id, 'secrets:secret:rotate');
      await store.deletePolicy(id);
    },

    /**
     * One attempt now, by the policy's method, or by `generator` once on a secret without
     * a policy. A webhook failure that may pass leaves retries scheduled with backoff.
     */
    async rotateNow(actor: Actor, region: string, id: string, generator: GeneratorSpec | null): Promise<RotationRun> {
      const secret = await load(actor, region, id, 'secrets:secret:rotate');
      assertNotScheduledForDeletion(secret);
      const refusal = notRotatable(secret, clock.nowMicros());
      if (refusal !== null) {
        throw preconditionFailed('secret_not_rotatable', `secret ${id} cannot be rotated now: ${refusal}`);
      }
      const record = await store.getPolicy(id);
      if (generator !== null) {
        if (record !== null) {
          throw invalidField('generator', 'constraint', 'the secret has a rotation policy, which says how it rotates; send no generator');
        }
        validateMethod({ type: 'generator', generator });
        assertGeneratorFits(secret.type, generator);
        return runner.runOneOff(secret, generator);
      }
      if (record === null) {
        throw preconditionFailed('rotation_policy_missing', `secret ${id} has no rotation policy; set one, or send a generator for a single rotation`);
      }
      const now = clock.nowMicros();
      const run = record.state.leaseUntil !== null && record.state.leaseUntil > now ? null : await runner.runClaimed(record, now);
      if (run === null) {
        throw preconditionFailed('rotation_in_progress', `a rotation of secret ${id} is running in another request or process; try again shortly`);
      }
      return run;
    },
  };
};

export type RotationService = ReturnType<typeof createRotationService>;
