import type { SecretType } from '../types';

export const MAX_PAYLOAD_BYTES = 64 * 1024;

export type Fields = Record<string, string>;
export type Pair = { key: string; value: string };

/** The fields each credential type holds, as the server's payload rules require them. */
export interface TypedField {
  name: string;
  label: string;
  secret?: boolean;
  multiline?: boolean;
  /** Left out of the payload when empty. */
  optional?: boolean;
  /** A list of words, entered separated by spaces or commas. */
  list?: boolean;
}

export const TYPE_FIELDS: Partial<Record<SecretType, TypedField[]>> = {
  api_key: [
    { name: 'value', label: 'API key value', secret: true },
    { name: 'header_name', label: 'Header name (optional, e.g. X-API-Key)', optional: true },
  ],
  bearer_token: [
    { name: 'header_value', label: 'Token', secret: true },
    { name: 'header_name', label: 'Header name (optional, defaults to Authorization)', optional: true },
  ],
  client_credentials: [
    { name: 'client_id', label: 'Client ID' },
    { name: 'client_secret', label: 'Client secret', secret: true },
    { name: 'scopes', label: 'Scopes (space-separated, optional)', optional: true, list: true },
  ],
  basic_credentials: [
    { name: 'username', label: 'Username' },
    { name: 'password', label: 'Password', secret: true },
  ],
  database_credentials: [
    { name: 'engine', label: 'Engine' },
    { name: 'host', label: 'Host' },
    { name: 'port', label: 'Port' },
    { name: 'dbname', label: 'Database name' },
    { name: 'username', label: 'Username' },
    { name: 'password', label: 'Password', secret: true },
  ],
  ssh_key: [{ name: 'ssh_private_key', label: 'SSH private key', secret: true, multiline: true }],
};

export const TYPE_LABELS: Record<SecretType, string> = {
  opaque: 'Opaque (any text)',
  api_key: 'API key',
  bearer_token: 'Bearer token',
  client_credentials: 'Client credentials (OAuth)',
  key_value: 'Key/value pairs',
  basic_credentials: 'Basic credentials',
  database_credentials: 'Database credentials',
  ssh_key: 'SSH key',
  certificate: 'Certificate (PEM)',
};

/** `.env` lines or a JSON object, as people export key/value sets. */
export const parsePairs = (text: string): Pair[] => {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const parsed = JSON.parse(trimmed) as Record<string, unknown>;
    return Object.entries(parsed).map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) }));
  }
  return trimmed
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const split = line.indexOf('=');
      const key = (split < 0 ? line : line.slice(0, split)).replace(/^export\s+/, '').trim();
      const value = split < 0 ? '' : line.slice(split + 1).trim().replace(/^(['"])(.*)\1$/, '$2');
      return { key, value };
    });
};

/** The payload text of a typed form; opaque and certificate are the text itself. */
export const payloadText = (type: SecretType, fields: Fields, pairs: Pair[], text: string): string => {
  if (type === 'key_value') {
    return JSON.stringify(Object.fromEntries(pairs.filter((pair) => pair.key !== '').map((pair) => [pair.key, pair.value])));
  }
  const typed = TYPE_FIELDS[type];
  if (typed) {
    const entries = typed.flatMap((field): [string, unknown][] => {
      const value = fields[field.name] ?? '';
      if (field.optional && value.trim() === '') {
        return [];
      }
      return [[field.name, field.list ? value.split(/[\s,]+/).filter(Boolean) : value]];
    });
    return JSON.stringify(Object.fromEntries(entries));
  }
  return text;
};

/** Fills a form back from a payload, to edit it as a new version. */
export const formFromPayload = (type: SecretType, text: string): { fields: Fields; pairs: Pair[]; text: string } => {
  if (type === 'key_value' || TYPE_FIELDS[type]) {
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      const entries = Object.entries(parsed).map(([key, value]) => ({ key, value: typeof value === 'string' ? value : Array.isArray(value) ? value.join(' ') : JSON.stringify(value) }));
      return { fields: Object.fromEntries(entries.map((entry) => [entry.key, entry.value])), pairs: entries, text };
    } catch {
      return { fields: {}, pairs: [], text };
    }
  }
  return { fields: {}, pairs: [], text };
};
