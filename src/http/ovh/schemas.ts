import { z } from 'zod';
import type { KvData, KvMetadataChanges, KvSettings } from '../../core/kv/index.js';
import { validateKvPayload } from '../../core/secrets/index.js';
import { invalidField } from '../../shared/errors.js';
import { parseDurationSeconds } from '../go-duration.js';
import { parseWith } from '../validation.js';
import { MAX_VERSION_ID, parseVersionId } from './target.js';

/** OVHcloud's alphabet and length for a new secret's path; the core adds its own segment rules. */
const PATH_PATTERN = /^[a-zA-Z0-9_.:/=@-]+$/;
const MAX_PATH_LENGTH = 255;

/** Fields may be null (OVHcloud's schema says so): null resets a field to its default. */
const optional = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

const casRequired = optional(z.boolean());
const maxVersions = optional(z.number().int().min(0).max(MAX_VERSION_ID));
const duration = optional(z.string().max(64));
const customMetadata = optional(z.record(z.string(), z.string()));
const data = z.record(z.string(), z.unknown(), { error: 'must be a JSON object' });

// OVHcloud's API and its guides spell the fields differently: every spelling is accepted.
const settingsFields = {
  casRequired,
  cas_required: casRequired,
  maxVersions,
  max_versions: maxVersions,
  deactivateVersionAfter: duration,
  deactivate_version_after: duration,
  delete_version_after: duration,
};
const metadataSchema = z.object({ ...settingsFields, customMetadata, custom_metadata: customMetadata });
type MetadataInput = Partial<z.output<typeof metadataSchema>>;

const createSchema = z.object({ path: z.string(), version: z.object({ data }), metadata: optional(metadataSchema) });
const updateSchema = z.object({ metadata: optional(metadataSchema), version: optional(z.object({ data })) });
const versionSchema = z.object({ data });
const stateSchema = z.object({
  state: z.string().transform((state) => state.toLowerCase()).pipe(z.enum(['active', 'deactivated', 'deleted'])),
});
const configSchema = z.object(settingsFields);

/** The one value given under any of a field's spellings; two spellings at once are refused. */
const pick = <K extends keyof MetadataInput>(input: MetadataInput, names: readonly K[]): MetadataInput[K] => {
  const given = names.filter((name) => input[name] !== undefined);
  const [first, second] = given;
  if (second !== undefined) {
    throw invalidField(String(second), 'constraint', `give only one of ${given.join(', ')}`);
  }
  return first === undefined ? undefined : input[first];
};

const seconds = (field: string, text: string | null): number | null => {
  if (text === null) {
    return null;
  }
  const parsed = parseDurationSeconds(text);
  if (parsed === null || parsed < 0) {
    throw invalidField(field, 'format', `${field} must be a non-negative duration such as 10h30m10s or 0s`);
  }
  return parsed;
};

/** The settings part of a metadata or configuration body, `null` meaning "back to the default". */
const settingsChanges = (input: MetadataInput) => {
  const delay = pick(input, ['deactivateVersionAfter', 'deactivate_version_after', 'delete_version_after']);
  return {
    casRequired: pick(input, ['casRequired', 'cas_required']),
    maxVersions: pick(input, ['maxVersions', 'max_versions']),
    deleteVersionAfterSeconds: delay === undefined ? undefined : seconds('deactivateVersionAfter', delay),
  };
};

const metadataChanges = (input: MetadataInput | null | undefined): KvMetadataChanges => {
  if (!input) {
    return {};
  }
  const changes: KvMetadataChanges = {};
  const { casRequired: cas, maxVersions: max, deleteVersionAfterSeconds: delay } = settingsChanges(input);
  const custom = pick(input, ['customMetadata', 'custom_metadata']);
  if (cas !== undefined) {
    changes.casRequired = cas;
  }
  if (max !== undefined) {
    changes.maxVersions = max;
  }
  if (delay !== undefined) {
    changes.deleteVersionAfterSeconds = delay;
  }
  if (custom !== undefined) {
    changes.customMetadata = custom;
  }
  return changes;
};

/** Checked before anything is written, so that a create with metadata never leaves half a secret. */
const checkedData = (value: KvData): KvData => {
  validateKvPayload('key_value', Buffer.from(JSON.stringify(value), 'utf8'));
  return value;
};

export const validateNewSecretPath = (path: string): string => {
  if (path.length === 0 || path.length > MAX_PATH_LENGTH || !PATH_PATTERN.test(path)) {
    throw invalidField('path', 'format', `path must be 1 to ${MAX_PATH_LENGTH} characters among letters, digits and _ . : / = @ -`);
  }
  return path;
};

export const hasChanges = (changes: KvMetadataChanges): boolean => Object.keys(changes).length > 0;

export const parseCreateBody = (body: unknown) => {
  const parsed = parseWith(createSchema, body);
  return { path: validateNewSecretPath(parsed.path), data: checkedData(parsed.version.data), metadata: metadataChanges(parsed.metadata) };
};

export const parseUpdateBody = (body: unknown) => {
  const parsed = parseWith(updateSchema, body ?? {});
  return { data: parsed.version ? checkedData(parsed.version.data) : null, metadata: metadataChanges(parsed.metadata) };
};

export const parseVersionBody = (body: unknown): KvData => checkedData(parseWith(versionSchema, body).data);

export type RequestedState = z.output<typeof stateSchema>['state'];
export const parseStateBody = (body: unknown): RequestedState => parseWith(stateSchema, body).state;

export const parseConfigBody = (body: unknown): Partial<KvSettings> => {
  const { casRequired: cas, maxVersions: max, deleteVersionAfterSeconds: delay } = settingsChanges(parseWith(configSchema, body ?? {}));
  const changes: Partial<KvSettings> = {};
  if (cas !== undefined) {
    changes.casRequired = cas ?? false;
  }
  if (max !== undefined) {
    changes.maxVersions = max ?? 0;
  }
  if (delay !== undefined) {
    changes.deleteVersionAfterSeconds = delay ?? 0;
  }
  return changes;
};

type Query = Record<string, unknown>;

const queryText = (query: Query, name: string): string | null => {
  const raw = query[name];
  if (raw === undefined || raw === '') {
    return null;
  }
  if (typeof raw !== 'string') {
    throw invalidField(name, 'format', `${name} must be given once`);
  }
  return raw;
};

/** `?cas=`: the version the caller believes is current, 0 for "no version yet". */
export const queryCas = (query: Query): number | null => {
  const raw = queryText(query, 'cas');
  if (raw === null) {
    return null;
  }
  if (!/^[0-9]{1,5}$/.test(raw) || Number(raw) > MAX_VERSION_ID) {
    throw invalidField('cas', 'format', `cas must be an integer from 0 to ${MAX_VERSION_ID}`);
  }
  return Number(raw);
};

export const queryVersion = (query: Query): number | null => {
  const raw = queryText(query, 'version');
  return raw === null ? null : parseVersionId(raw);
};

export const queryIncludeData = (query: Query): boolean => {
  const raw = queryText(query, 'includeData')?.toLowerCase() ?? 'false';
  if (raw !== 'true' && raw !== 'false') {
    throw invalidField('includeData', 'format', 'includeData must be true or false');
  }
  return raw === 'true';
};
