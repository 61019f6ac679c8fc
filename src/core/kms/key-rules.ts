import { MICROS_PER_SECOND } from '../../shared/clock.js';
import { invalidField } from '../../shared/errors.js';
import type { RotationPolicy } from './kms-model.js';

const MAX_NAME_LENGTH = 255;
const MAX_DESCRIPTION_LENGTH = 1024;
const MAX_TAGS = 64;
const MAX_TAG_LENGTH = 255;
/** Scaleway's bounds on a rotation period: one day to 876,000 hours (about a century). */
export const MIN_ROTATION_SECONDS = 24 * 3600;
export const MAX_ROTATION_SECONDS = 876_000 * 3600;
/** Scaleway's limits: 64 KiB of plaintext, and the ciphertext that makes (up to 128 KiB). */
export const MAX_PLAINTEXT_BYTES = 65_535;
export const MAX_CIPHERTEXT_BYTES = 131_071;
export const MAX_ASSOCIATED_DATA_BYTES = 65_535;

// Text columns cannot hold NUL on PostgreSQL; refusing it here keeps both engines alike.
const hasNul = (text: string): boolean => text.includes('\u0000');

/** A name is optional on Scaleway; Coffer names an unnamed key after its id, as the console shows it. */
export const validateKeyName = (name: string | null | undefined, fallback: string): string => {
  const value = name ?? '';
  if (value === '') {
    return fallback;
  }
  if (value.length > MAX_NAME_LENGTH || hasNul(value)) {
    throw invalidField('name', 'constraint', `name must be 1-${MAX_NAME_LENGTH} characters without NUL`);
  }
  return value;
};

export const validateKeyDescription = (description: string | null | undefined): string => {
  const value = description ?? '';
  if (value.length > MAX_DESCRIPTION_LENGTH || hasNul(value)) {
    throw invalidField('description', 'constraint', `description must be at most ${MAX_DESCRIPTION_LENGTH} characters without NUL`);
  }
  return value;
};

export const validateKeyTags = (tags: readonly string[] | null | undefined): string[] => {
  const unique = [...new Set(tags ?? [])];
  if (unique.length > MAX_TAGS) {
    throw invalidField('tags', 'constraint', `a key has at most ${MAX_TAGS} tags`);
  }
  for (const tag of unique) {
    if (tag.length === 0 || tag.length > MAX_TAG_LENGTH || hasNul(tag)) {
      throw invalidField('tags', 'constraint', `each tag must be 1-${MAX_TAG_LENGTH} characters without NUL`);
    }
  }
  return unique;
};

/** A policy as the caller gives it: a period, and optionally when the next rotation is. */
export interface RotationPolicyInput {
  periodSeconds: number;
  nextRotationAt: number | null;
}

export const validateRotationPolicy = (input: RotationPolicyInput, now: number): RotationPolicy => {
  const { periodSeconds, nextRotationAt } = input;
  if (!Number.isFinite(periodSeconds) || periodSeconds < MIN_ROTATION_SECONDS || periodSeconds > MAX_ROTATION_SECONDS) {
    throw invalidField('rotation_policy.rotation_period', 'constraint', 'rotation_period must be between 24h and 876000h');
  }
  if (nextRotationAt !== null && nextRotationAt <= now) {
    throw invalidField('rotation_policy.next_rotation_at', 'constraint', 'next_rotation_at must be in the future');
  }
  const period = Math.floor(periodSeconds);
  return { periodSeconds: period, nextRotationAt: nextRotationAt ?? now + period * MICROS_PER_SECOND };
};
