import { z } from 'zod';
import type { RotationPolicyInput } from '../../core/kms/index.js';
import { parseTimestampMicros } from '../../shared/clock.js';
import { invalidField } from '../../shared/errors.js';
import { parseDurationSeconds } from '../go-duration.js';

/** Scaleway's one-of `usage`: exactly one algorithm family; only symmetric keys are served. */
const usageSchema = z.object({
  symmetric_encryption: z.string().nullish(),
  asymmetric_encryption: z.string().nullish(),
  asymmetric_signing: z.string().nullish(),
});

const rotationPolicySchema = z.object({
  rotation_period: z.string().nullish(),
  next_rotation_at: z.string().nullish(),
});

export const createKeySchema = z.object({
  project_id: z.string().nullish(),
  name: z.string().nullish(),
  usage: usageSchema.nullish(),
  description: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  rotation_policy: rotationPolicySchema.nullish(),
  unprotected: z.boolean().nullish(),
  origin: z.enum(['unknown_origin', 'scaleway_kms', 'external']).nullish(),
});

export const updateKeySchema = z.object({
  name: z.string().nullish(),
  description: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  rotation_policy: rotationPolicySchema.nullish(),
});

export const encryptSchema = z.object({ plaintext: z.string(), associated_data: z.string().nullish() });
export const decryptSchema = z.object({ ciphertext: z.string(), associated_data: z.string().nullish() });
export const generateDataKeySchema = z.object({ algorithm: z.string().nullish(), without_plaintext: z.boolean().nullish() });
export const importKeyMaterialSchema = z.object({ key_material: z.string(), salt: z.string().nullish() });

/** The symmetric algorithm asked for, refusing the asymmetric families Coffer does not serve. */
export const algorithmOf = (usage: z.output<typeof usageSchema> | null | undefined): string | null => {
  if (!usage) {
    return null;
  }
  if (usage.asymmetric_encryption || usage.asymmetric_signing) {
    throw invalidField('usage', 'constraint', 'asymmetric keys are not supported: use symmetric_encryption with aes_256_gcm');
  }
  return usage.symmetric_encryption ?? null;
};

/** `rotation_period` as Scaleway sends it (`86400s`, Go's `720h0m0s`); null when no policy is given. */
export const rotationPolicyOf = (wire: z.output<typeof rotationPolicySchema> | null | undefined): RotationPolicyInput | null => {
  if (!wire) {
    return null;
  }
  if (!wire.rotation_period) {
    throw invalidField('rotation_policy.rotation_period', 'required', 'rotation_policy.rotation_period is required');
  }
  const periodSeconds = parseDurationSeconds(wire.rotation_period);
  if (periodSeconds === null) {
    throw invalidField('rotation_policy.rotation_period', 'format', 'rotation_period must be a duration such as "86400s" or "720h"');
  }
  let nextRotationAt: number | null = null;
  if (wire.next_rotation_at) {
    nextRotationAt = parseTimestampMicros(wire.next_rotation_at);
    if (nextRotationAt === null) {
      throw invalidField('rotation_policy.next_rotation_at', 'format', 'next_rotation_at must be an RFC 3339 timestamp');
    }
  }
  return { periodSeconds, nextRotationAt };
};
