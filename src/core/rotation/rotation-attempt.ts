import type { Clock } from '../../shared/clock.js';
import { isAppError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { KeyService } from '../keys/index.js';
import { ephemeralPropertiesFor, secretStatusOf, validatePayload, type Secret, type SecretStore } from '../secrets/index.js';
import { generateValue } from './generators.js';
import { payloadWithGenerated } from './payload-target.js';
import { failed, type AttemptOutcome } from './attempt-outcome.js';
import type { RotationMethod } from './rotation-model.js';
import { callWebhook } from './webhook-call.js';
import type { WebhookTransport } from './webhook-client.js';

export interface AttemptDeps {
  secrets: Pick<SecretStore, 'getSecret' | 'readVersionWithPayload' | 'appendVersion' | 'getVersion'>;
  keys: Pick<KeyService, 'prepareSealer' | 'openPayload'>;
  transport: WebhookTransport;
  clock: Clock;
}

export interface AttemptInput {
  secret: Secret;
  method: RotationMethod;
  rotationId: string;
  attempt: number;
  disablePrevious: boolean;
  /** The webhook's signing secret, opened for this attempt only. */
  signingSecret: string | null;
}

/** Written on each version a rotation adds, so a retry after a crash finds its own work done. */
export const rotationMarker = (rotationId: string): string => `rotated by Coffer (rotation ${rotationId})`;

/** Why a secret cannot be rotated now, or null when it can. */
export const notRotatable = (secret: Secret | null, now: number): string | null => {
  if (secret === null) {
    return 'the secret no longer exists';
  }
  const status = secretStatusOf(secret);
  if (status !== 'enabled') {
    return `the secret is ${status}`;
  }
  return secret.expiresAt !== null && secret.expiresAt <= now ? 'the secret has expired' : null;
};

/** One attempt of one rotation: a generated value or the webhook's, stored as a new version. */
export const createAttemptRunner = ({ secrets, keys, transport, clock }: AttemptDeps) => {
  const currentPayload = async (secret: Secret): Promise<{ data: Buffer } | null> => {
    const found = await secrets.readVersionWithPayload(secret.region, secret.id, 'latest_enabled');
    if (!found?.sealed) {
      return null;
    }
    const identity = { projectId: secret.projectId, region: secret.region, secretId: secret.id, revision: found.version.revision, keyId: secret.keyId };
    return { data: await keys.openPayload(identity, found.sealed) };
  };

  const addVersion = async (secret: Secret, data: Uint8Array, input: AttemptInput): Promise<AttemptOutcome> => {
    try {
      const checksumAlgorithm = validatePayload(secret.type, data, null);
      const sealPayload = await keys.prepareSealer({ projectId: secret.projectId, region: secret.region, keyId: secret.keyId });
      const now = clock.nowMicros();
      const appended = await secrets.appendVersion(secret.region, secret.id, (current, revision) => ({
        version: {
          secretId: secret.id,
          revision,
          status: 'enabled',
          description: rotationMarker(input.rotationId),
          createdAt: now,
          updatedAt: now,
          deletedAt: null,
          deletionRequestedAt: null,
          statusBeforeDeletion: null,
          ephemeral: ephemeralPropertiesFor(current.ephemeralPolicy, now),
          disabledAt: null,
          checksumAlgorithm,
        },
        sealed: sealPayload({ projectId: current.projectId, region: current.region, secretId: secret.id, revision }, data),
        disablePrevious: input.disablePrevious,
      }));
      return { kind: 'rotated', revision: appended.version.revision, byReceiver: false };
    } catch (error) {
      if (isAppError(error) && error.code === 'invalid_argument') {
        // Only the field list, never the value: Scaleway-style problems name fields and types.
        const problems = (error.details.problems ?? []).map((problem) => problem.message.trim()).join(' ');
        return failed('invalid_value', `the new value does not fit the ${secret.type} type: ${problems}`.slice(0, 500), false);
      }
      if (isAppError(error) && error.code === 'failed_precondition') {
        return failed('secret_not_rotatable', error.message, false);
      }
      return failed('internal', isAppError(error) ? error.message : 'storing the new version failed', true);
    }
  };

  /** The version this rotation already added (a retry after a crash between the two writes). */
  const alreadyDone = async (secret: Secret, rotationId: string): Promise<number | null> => {
    const latest = await secrets.getVersion(secret.id, 'latest');
    return latest?.description === rotationMarker(rotationId) ? latest.revision : null;
  };

  return {
    async run(input: AttemptInput): Promise<AttemptOutcome> {
      const { secret, method } = input;
      const done = await alreadyDone(secret, input.rotationId);
      if (done !== null) {
        return { kind: 'rotated', revision: done, byReceiver: false };
      }
      if (method.type === 'generator') {
        const current = await currentPayload(secret);
        const target = payloadWithGenerated(secret.type, method.generator, current?.data ?? null, generateValue(method.generator));
        return target.ok ? addVersion(secret, target.data, input) : failed('no_current_version', target.message, false);
      }
      // The receiver gets the revision only: the current payload is never opened for a webhook.
      const current = await secrets.getVersion(secret.id, 'latest_enabled');
      const reply = await callWebhook(transport, clock, {
        secret,
        webhook: method.webhook,
        signingSecret: input.signingSecret ?? '',
        rotationId: input.rotationId,
        attempt: input.attempt,
        currentRevision: current?.revision ?? null,
      });
      if (reply.kind === 'value') {
        return addVersion(secret, reply.data, input);
      }
      if (reply.kind === 'rotated_by_receiver') {
        const latest = await secrets.getVersion(secret.id, 'latest');
        return { kind: 'rotated', revision: latest?.revision ?? 0, byReceiver: true };
      }
      return reply.outcome;
    },
  };
};

export const newRotationId = (): string => newId();
