import { z } from 'zod';
import type { KvMetadataChanges, KvSettings } from '../../core/kv/index.js';
import { invalidField } from '../../shared/errors.js';
import { parseDurationSeconds } from '../go-duration.js';
import { parseWith } from '../validation.js';

/** OVHcloud's secret path alphabet and length, checked before the core's own rules. */
const PATH = /^[a-zA-Z0-9_.:/=@-]+$/;
const MAX_PATH_LENGTH = 255;
const MAX_VERSIONS = 24000;

const duration = z.string().max(64);
const customMetadata = z.record(z.string(), z.string());
const data = z.record(z.string(), z.unknown());

// OVHcloud's guides and API spell these fields differently; both spellings are accepted.
const metadataSchema = z
  .object({
    casRequired: z.boolean().optional(),
    cas_required: z.boolean().optional(),
    maxVersions: z.number().int().min(0).max(MAX_VERSIONS).optional(),
    max_versions: z.number().int().min(0).max(MAX_VERSIONS).optional(),
    deactivateVersionAfter: duration.optional(),
    deactivate_version_after: duration.optional(),
    delete_version_after: duration.optional(),
    customMetadata: customMetadata.optional(),
    custom_metadata: customMetadata.optional(),
  })
  .optional();

const secretBodySchema = z.object({
  path: z.string().min(1),
  version: z.object({ data }),
  metadata: metadataSchema,
});
const updateBodySchema = z.object({ metadata: metadataSchema, version: z.object({ data }).optional() });
const versionBodySchema = z.object({ data });
const stateBodySchema = z.object({ state: z.string().transform((state) => state.toLowerCase()).pipe(z.enum(['active', 'deactivated', 'deleted'])) });
const configBodySchema = z.object({
  casRequired: z.boolean().optional(),
  maxVersions: z.number().int().min(0).max(MAX_VERSIONS).optional(),
  deactivateVersionAfter: duration.optional(),
});

const seconds = (field: string, text: string | undefined): number | undefined => {
  if (text === undefined) {
    return undefined;
  }
  const parsed = parseDurationSeconds(text);
  if (parsed === null || parsed < 0) {
    throw invalidField(field, 'format', `${field} must be a non-negative duration such as 10h30m10s`);
  }
  return parsed;
};

const metadataChanges = (metadata: z.output<typeof metadataSchema>): KvMetadataChanges => {
  const changes: KvMetadataChanges = {};
  if (!metadata) {
    return changes;
  }
  const casRequired = metadata.casRequired ?? metadata.cas_required;
  const maxVersions = metadata.maxVersions ?? metadata.max_versions;
  const delay = seconds('deactivateVersionAfter', metadata.deactivateVersionAfter ?? metadata.deactivate_version_after ?? metadata.delete_version_after);
  const custom = metadata.customMetadata ?? metadata.custom_metadata;
  if (casRequired !== undefined) {
    changes.casRequired = casRequired;
  }
  if (maxVersions !== undefined) {
    changes.maxVersions = maxVersions;
  }
  if (delay !== undefined) {
    changes.deleteVersionAfterSeconds = delay;
  }
  if (custom !== undefined) {
    changes.customMetadata = custom;
  }
  return changes;
};

export const validateSecretPath = (path: string): string => {
  if (path.length > MAX_PATH_LENGTH || !PATH.test(path)) {
    throw invalidField('path', 'format', `path must be 1-${MAX_PATH_LENGTH} characters among letters, digits and _ . : / = @ -`);
  }
  return path;
};

export const parseCreateBody = (body: unknown) => {
  const parsed = parseWith(secretBodySchema, body);
  return { path: validateSecretPath(parsed.path), data: parsed.version.data, metadata: metadataChanges(parsed.metadata) };
};

export const parseUpdateBody = (body: unknown) => {
  const parsed = parseWith(updateBodySchema, body ?? {});
  return { data: parsed.version?.data ?? null, metadata: metadataChanges(parsed.metadata) };
};

export const parseVersionBody = (body: unknown) => parseWith(versionBodySchema, body).data;
export const parseStateBody = (body: unknown) => parseWith(stateBodySchema, body).state;

export const parseConfigBody = (body: unknown): Partial<KvSettings> => {
  const parsed = parseWith(configBodySchema, body ?? {});
  const changes: Partial<KvSettings> = {};
  if (parsed.casRequired !== undefined) {
    changes.casRequired = parsed.casRequired;
  }
  if (parsed.maxVersions !== undefined) {
    changes.maxVersions = parsed.maxVersions;
  }
  const delay = seconds('deactivateVersionAfter', parsed.deactivateVersionAfter);
  if (delay !== undefined) {
    changes.deleteVersionAfterSeconds = delay;
  }
  return changes;
};

/** `?cas=` and `?version=`: absent is null; anything but a non-negative integer is refused. */
export const queryInteger = (query: Record<string, unknown>, name: string, min = 0): number | null => {
  const raw = query[name];
  if (raw === undefined || raw === '') {
    return null;
  }
  if (typeof raw !== 'string' || !/^[0-9]+$/.test(raw) || Number(raw) < min || Number(raw) > 2 ** 32 - 1) {
    throw invalidField(name, 'format', `${name} must be an integer of at least ${min}`);
  }
  return Number(raw);
};

export const queryBoolean = (query: Record<string, unknown>, name: string): boolean => {
  const raw = query[name];
  if (raw === undefined || raw === 'false' || raw === '') {
    return false;
  }
  if (raw === 'true') {
    return true;
  }
  throw invalidField(name, 'format', `${name} must be true or false`);
};
