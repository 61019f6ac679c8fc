import { invalidField } from '../../shared/errors.js';
import type { SecretType } from '../secrets/index.js';
import type { GeneratorSpec } from './rotation-model.js';

/** The field a generated value replaces, per type; the other fields of the current version stay. */
const GENERATED_FIELD: Partial<Record<SecretType, string>> = {
  basic_credentials: 'password',
  database_credentials: 'password',
  api_key: 'value',
  bearer_token: 'header_value',
  client_credentials: 'client_secret',
};

/** Types whose value is a structure no random string can stand for. */
const NOT_GENERATED: ReadonlySet<SecretType> = new Set(['certificate', 'ssh_key']);

/** Refuses, naming the field, a generator that makes no sense for the secret's type. */
export const assertGeneratorFits = (type: SecretType, spec: GeneratorSpec): void => {
  if (NOT_GENERATED.has(type)) {
    throw invalidField('generator', 'constraint', `a ${type} secret cannot be rotated by a generator; use a webhook`);
  }
  if (type === 'key_value' && spec.key === null) {
    throw invalidField('generator.key', 'required', 'a key_value secret needs generator.key, the key whose value is generated');
  }
  if (type !== 'key_value' && spec.key !== null) {
    throw invalidField('generator.key', 'constraint', `generator.key applies to key_value secrets only; a ${type} secret's generated field is fixed`);
  }
};

export type TargetResult = { ok: true; data: Uint8Array } | { ok: false; message: string };

const currentObject = (current: Uint8Array | null): Record<string, unknown> | null => {
  if (current === null) {
    return null;
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.from(current).toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/** A bearer token keeps its scheme (`Bearer `) when the current value has one. */
const withScheme = (previous: unknown, value: string): string => {
  const scheme = typeof previous === 'string' ? /^([A-Za-z][A-Za-z0-9-]*) \S/.exec(previous)?.[1] : undefined;
  return scheme === undefined ? value : `${scheme} ${value}`;
};

/** The new payload: the current version's with the generated value in its place. */
export const payloadWithGenerated = (type: SecretType, spec: GeneratorSpec, current: Uint8Array | null, value: string): TargetResult => {
  if (type === 'opaque') {
    return { ok: true, data: Buffer.from(value, 'utf8') };
  }
  const object = currentObject(current);
  if (type === 'key_value') {
    return { ok: true, data: Buffer.from(JSON.stringify({ ...(object ?? {}), [spec.key ?? 'value']: value }), 'utf8') };
  }
  const field = GENERATED_FIELD[type];
  if (field === undefined || object === null) {
    return { ok: false, message: `the ${type} secret has no enabled version whose other fields the new one could keep` };
  }
  const next = type === 'bearer_token' ? withScheme(object[field], value) : value;
  return { ok: true, data: Buffer.from(JSON.stringify({ ...object, [field]: next }), 'utf8') };
};
