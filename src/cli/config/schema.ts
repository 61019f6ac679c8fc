import { z } from 'zod';
import { isSource } from './sources.js';

/** A credential field: a source (env:, file:, cmd:), refused when written in clear. */
const credential = z.string().refine(isSource, { message: 'must be env:NAME, file:PATH or cmd:COMMAND (never a value in clear)' });
const name = z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "-", "_" and "." only');

export const profileSchema = z
  .object({
    api_url: z.url().optional(),
    access_key: z.string().optional(),
    secret_key: credential.optional(),
    project_id: z.string().optional(),
    region: z.string().optional(),
  })
  .strict();

const scalewayInstance = z
  .object({ type: z.literal('scw'), api_url: z.url().optional(), region: z.string().optional(), project_id: z.string().optional(), secret_key: credential })
  .strict();
const vaultInstance = z.object({ type: z.literal('vault'), address: z.url(), token: credential, namespace: z.string().optional() }).strict();
const awsInstance = z
  .object({
    type: z.literal('aws'),
    region: z.string().optional(),
    endpoint: z.url().optional(),
    access_key_id: credential.optional(),
    secret_access_key: credential.optional(),
    session_token: credential.optional(),
  })
  .strict();
const ovhInstance = z.object({ type: z.literal('ovh'), endpoint: z.url(), okms_id: z.string(), token: credential }).strict();

export const instanceSchema = z.discriminatedUnion('type', [scalewayInstance, vaultInstance, awsInstance, ovhInstance]);

export const configSchema = z
  .object({
    active_profile: name.optional(),
    profiles: z.record(name, profileSchema).default({}),
    instances: z.record(name, instanceSchema).default({}),
    defaults: z.object({ scw: name.optional(), vault: name.optional(), aws: name.optional(), ovh: name.optional() }).strict().default({}),
  })
  .strict();

export type Profile = z.infer<typeof profileSchema>;
export type InstanceConfig = z.infer<typeof instanceSchema>;
export type CofferConfig = z.infer<typeof configSchema>;
