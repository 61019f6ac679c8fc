import { z } from 'zod';
import { invalidField } from '../../shared/errors.js';
import { parseTimestampMicros } from '../../shared/clock.js';
import type { EphemeralPolicy, EphemeralProperties } from '../../core/secrets/index.js';

/** Protobuf duration syntax as Go sends it (`1800.000000000s`) or as people write it (`1800s`). */
const durationSeconds = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,9})?s$/, 'must be a duration such as "1800s"')
  .transform((value) => Number(value.slice(0, -1)));

const action = z.enum(['delete', 'disable', 'unknown_action']);

const ephemeralPolicySchema = z.object({
  time_to_live: durationSeconds.nullish(),
  expires_once_accessed: z.boolean().nullish(),
  action: action.nullish(),
});

export const toEphemeralPolicy = (wire: z.output<typeof ephemeralPolicySchema> | null | undefined): EphemeralPolicy | null => {
  if (!wire) {
    return null;
  }
  if (!wire.action || wire.action === 'unknown_action') {
    throw invalidField('ephemeral_policy.action', 'required', 'ephemeral_policy.action must be delete or disable');
  }
  return {
    timeToLiveSeconds: wire.time_to_live ?? null,
    expiresOnceAccessed: wire.expires_once_accessed ?? null,
    action: wire.action,
  };
};

const secretType = z.string();

export const createSecretSchema = z.object({
  project_id: z.string().nullish(),
  name: z.string(),
  tags: z.array(z.string()).nullish(),
  description: z.string().nullish(),
  type: secretType.nullish(),
  path: z.string().nullish(),
  ephemeral_policy: ephemeralPolicySchema.nullish(),
  protected: z.boolean().nullish(),
  key_id: z.string().nullish(),
});

export const updateSecretSchema = z.object({
  name: z.string().optional(),
  tags: z.array(z.string()).nullish(),
  description: z.string().nullish(),
  path: z.string().nullish(),
  ephemeral_policy: ephemeralPolicySchema.nullish(),
});

const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

export const decodeBase64 = (value: string, field: string): Buffer => {
  if (!STANDARD_BASE64.test(value)) {
    throw invalidField(field, 'format', `${field} must be standard base64`);
  }
  return Buffer.from(value, 'base64');
};

export const createVersionSchema = z.object({
  data: z.string(),
  description: z.string().nullish(),
  disable_previous: z.boolean().nullish(),
  data_crc32: z.number().int().min(0).max(0xffffffff).nullish(),
});

const ephemeralPropertiesSchema = z.object({
  expires_at: z.string().nullish(),
  expires_once_accessed: z.boolean().nullish(),
  action: action.nullish(),
});

export const updateVersionSchema = z.object({
  description: z.string().nullish(),
  ephemeral_properties: ephemeralPropertiesSchema.nullish(),
});

export const toEphemeralProperties = (
  wire: z.output<typeof ephemeralPropertiesSchema> | null | undefined,
): EphemeralProperties | null | undefined => {
  if (wire === undefined) {
    return undefined;
  }
  if (wire === null) {
    return null;
  }
  const expiresAt = wire.expires_at ? parseTimestampMicros(wire.expires_at) : null;
  if (wire.expires_at && expiresAt === null) {
    throw invalidField('ephemeral_properties.expires_at', 'format', 'expires_at must be an RFC 3339 timestamp');
  }
  if (!wire.action || wire.action === 'unknown_action') {
    throw invalidField('ephemeral_properties.action', 'required', 'ephemeral_properties.action must be delete or disable');
  }
  return { expiresAt, expiresOnceAccessed: wire.expires_once_accessed ?? null, action: wire.action };
};

export const addOwnerSchema = z.object({
  product: z.enum(['edge_services', 's2s_vpn']),
});
