import { z } from 'zod';
import type { GeneratorSpec, PasswordClass, RotationMethod } from '../../core/rotation/index.js';
import { invalidField } from '../../shared/errors.js';
import { parseDurationSeconds } from '../go-duration.js';

/** Unknown fields are refused, so that a misspelt option is an error rather than a default. */
export const generatorSchema = z
  .object({
    kind: z.enum(['password', 'random_bytes', 'api_key']),
    length: z.number().int().optional(),
    lower: z.boolean().optional(),
    upper: z.boolean().optional(),
    digits: z.boolean().optional(),
    symbols: z.boolean().optional(),
    encoding: z.enum(['base64', 'base64url', 'hex']).optional(),
    prefix: z.string().max(64).optional(),
    key: z.string().max(256).optional(),
  })
  .strict();

const webhookSchema = z
  .object({
    url: z.string().max(4096),
    max_attempts: z.number().int().optional(),
    timeout_seconds: z.number().int().optional(),
  })
  .strict();

export const policySchema = z
  .object({
    interval: z.union([z.string().max(64), z.number()]),
    next_rotation_at: z.string().max(64).optional(),
    disable_previous: z.boolean().optional(),
    renew_signing_secret: z.boolean().optional(),
    generator: generatorSchema.optional(),
    webhook: webhookSchema.optional(),
  })
  .strict();

export const rotateSchema = z.object({ generator: generatorSchema.optional() }).strict();

type GeneratorBody = z.output<typeof generatorSchema>;

const classesOf = (body: GeneratorBody): PasswordClass[] => {
  const wanted: Record<PasswordClass, boolean> = {
    lower: body.lower ?? true,
    upper: body.upper ?? true,
    digits: body.digits ?? true,
    symbols: body.symbols ?? false,
  };
  return (Object.keys(wanted) as PasswordClass[]).filter((name) => wanted[name]);
};

/** The wire's generator, with Coffer's defaults: 32 characters or bytes, letters and digits. */
export const generatorOf = (body: GeneratorBody): GeneratorSpec => {
  const key = body.key ?? null;
  const length = body.length ?? 32;
  switch (body.kind) {
    case 'password':
      return { kind: 'password', length, classes: classesOf(body), key };
    case 'random_bytes':
      return { kind: 'random_bytes', length, encoding: body.encoding ?? 'base64', key };
    case 'api_key':
      return { kind: 'api_key', prefix: body.prefix ?? '', length, key };
  }
};

export const methodOf = (body: z.output<typeof policySchema>): RotationMethod => {
  if ((body.generator === undefined) === (body.webhook === undefined)) {
    throw invalidField('method', 'required', 'give exactly one of generator and webhook: how the secret is rotated');
  }
  if (body.webhook !== undefined) {
    const { url, max_attempts: maxAttempts = 5, timeout_seconds: timeoutSeconds = 10 } = body.webhook;
    return { type: 'webhook', webhook: { url, maxAttempts, timeoutSeconds } };
  }
  return { type: 'generator', generator: generatorOf(body.generator ?? { kind: 'password' }) };
};

export const intervalOf = (value: string | number): number => {
  const seconds = parseDurationSeconds(value);
  if (seconds === null) {
    throw invalidField('interval', 'format', 'interval is a duration such as 24h, 30d or 3600s, or a number of seconds');
  }
  return seconds;
};
