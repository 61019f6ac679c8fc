import { invalidField } from '../../shared/errors.js';
import { MICROS_PER_SECOND } from '../../shared/clock.js';
import type { EphemeralPolicy, EphemeralProperties } from './secret-model.js';

const MAX_TTL_SECONDS = 366 * 24 * 3600;

/** A policy needs an action and at least one trigger: a time to live or expiry on first access. */
export const validateEphemeralPolicy = (policy: EphemeralPolicy): EphemeralPolicy => {
  const { timeToLiveSeconds, expiresOnceAccessed } = policy;
  if (timeToLiveSeconds !== null && (timeToLiveSeconds < 1 || timeToLiveSeconds > MAX_TTL_SECONDS)) {
    throw invalidField('ephemeral_policy.time_to_live', 'constraint', 'time_to_live must be between 1s and one year');
  }
  if (timeToLiveSeconds === null && expiresOnceAccessed !== true) {
    throw invalidField(
      'ephemeral_policy',
      'constraint',
      'an ephemeral policy needs time_to_live or expires_once_accessed=true',
    );
  }
  return policy;
};

/** What a version created (or re-enabled) at `createdAt` takes from its secret's policy. */
export const ephemeralPropertiesFor = (
  policy: EphemeralPolicy | null,
  createdAt: number,
): EphemeralProperties | null =>
  policy === null
    ? null
    : {
        expiresAt:
          policy.timeToLiveSeconds === null ? null : createdAt + Math.round(policy.timeToLiveSeconds * MICROS_PER_SECOND),
        expiresOnceAccessed: policy.expiresOnceAccessed,
        action: policy.action,
      };

export const isExpired = (properties: EphemeralProperties | null, now: number): boolean =>
  properties?.expiresAt !== null && properties?.expiresAt !== undefined && properties.expiresAt <= now;
