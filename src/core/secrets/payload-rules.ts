import { AppError, type FieldProblem } from '../../shared/errors.js';
import { matchingCrc32 } from '../../shared/crc32.js';
import { parseCertificateChain } from './certificate.js';
import type { ChecksumAlgorithm, SecretType } from './secret-model.js';

export const MAX_PAYLOAD_BYTES = 64 * 1024;

type JsonKind = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';

const kindOf = (value: unknown): JsonKind => {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'array';
  }
  const kind = typeof value;
  return kind === 'string' || kind === 'number' || kind === 'boolean' ? kind : 'object';
};

/** One line per problem, in the `- <field>: <description>` form Scaleway's validator writes. */
const dataError = (lines: string[]): AppError => {
  const problem: FieldProblem = {
    field: 'data',
    reason: 'format',
    message: lines.map((line) => `- ${line}\n`).join(''),
  };
  return new AppError('invalid_argument', 'data does not match the secret type', { problems: [problem] });
};

const parseObject = (type: SecretType, bytes: Uint8Array): Record<string, unknown> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw dataError([`(root): Invalid JSON. A secret of type ${type} holds a JSON object`]);
  }
  if (kindOf(parsed) !== 'object') {
    throw dataError([`(root): Invalid type. Expected: object, given: ${kindOf(parsed)}`]);
  }
  return parsed as Record<string, unknown>;
};

const requireStrings = (object: Record<string, unknown>, keys: readonly string[]): string[] =>
  keys.flatMap((key) => {
    if (!(key in object)) {
      return [`(root): ${key} is required`];
    }
    const kind = kindOf(object[key]);
    return kind === 'string' ? [] : [`${key}: Invalid type. Expected: string, given: ${kind}`];
  });

const DATABASE_ENGINES = new Set(['postgres', 'mysql', 'other']);
/** RFC 9110's token: what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;

const optionalHeaderName = (object: Record<string, unknown>): string[] => {
  const name = object.header_name;
  if (name === undefined) {
    return [];
  }
  return typeof name === 'string' && HEADER_NAME.test(name) ? [] : ['header_name: must be an HTTP header name such as X-API-Key'];
};

const scopesProblems = (scopes: unknown): string[] =>
  scopes === undefined || (Array.isArray(scopes) && scopes.every((scope) => typeof scope === 'string' && scope !== '' && !/\s/.test(scope)))
    ? []
    : ['scopes: must be a list of scope names without spaces'];

const validators: Record<SecretType, (bytes: Uint8Array, nowMillis: number) => string[]> = {
  opaque: () => [],
  certificate: (bytes, nowMillis) => {
    const parsed = parseCertificateChain(Buffer.from(bytes).toString('utf8'), nowMillis);
    return parsed.ok ? [] : parsed.problems;
  },
  api_key: (bytes) => {
    const object = parseObject('api_key', bytes);
    return [...requireStrings(object, ['value']), ...optionalHeaderName(object)];
  },
  bearer_token: (bytes) => {
    const object = parseObject('bearer_token', bytes);
    return [...requireStrings(object, ['header_value']), ...optionalHeaderName(object)];
  },
  client_credentials: (bytes) => {
    const object = parseObject('client_credentials', bytes);
    return [...requireStrings(object, ['client_id', 'client_secret']), ...scopesProblems(object.scopes)];
  },
  key_value: (bytes) =>
    Object.entries(parseObject('key_value', bytes)).flatMap(([key, value]) => {
      const kind = kindOf(value);
      return kind === 'string' || kind === 'number' || kind === 'boolean'
        ? []
        : [`${key}: Invalid type. Expected: string, given: ${kind}`];
    }),
  basic_credentials: (bytes) => requireStrings(parseObject('basic_credentials', bytes), ['username', 'password']),
  database_credentials: (bytes) => {
    const object = parseObject('database_credentials', bytes);
    const problems = requireStrings(object, ['engine', 'username', 'password', 'host', 'dbname', 'port']);
    const { engine, port } = object;
    if (typeof engine === 'string' && !DATABASE_ENGINES.has(engine)) {
      problems.push('engine: must be one of postgres, mysql, other');
    }
    if (typeof port === 'string' && (!/^[0-9]+$/.test(port) || Number(port) > 65535)) {
      problems.push('port: must be a decimal port number from 0 to 65535, written as a string');
    }
    return problems;
  },
  ssh_key: (bytes) => requireStrings(parseObject('ssh_key', bytes), ['ssh_private_key']),
};

/**
 * The key/value APIs write JSON objects of any depth (Vault and OVHcloud allow nesting),
 * so a `key_value` secret written through them only has to hold an object; other types
 * keep their own rules.
 */
export const validateKvPayload = (type: SecretType, bytes: Uint8Array): void => {
  if (type === 'key_value') {
    validatePayload('opaque', bytes, null);
    parseObject('key_value', bytes);
    return;
  }
  validatePayload(type, bytes, null);
};

/**
 * Checks size, checksum and shape of a version's payload before anything is written.
 * Returns the CRC polynomial the writer used, if it sent a checksum.
 */
export const validatePayload = (type: SecretType, bytes: Uint8Array, crc32: number | null, nowMillis = Date.now()): ChecksumAlgorithm | null => {
  if (bytes.length > MAX_PAYLOAD_BYTES) {
    throw new AppError('invalid_argument', 'data is too large', {
      problems: [{ field: 'data', reason: 'constraint', message: `the payload is ${bytes.length} bytes; the limit is 65536 bytes (64 KiB)` }],
    });
  }
  const algorithm = crc32 === null ? null : matchingCrc32(bytes, crc32);
  if (crc32 !== null && algorithm === null) {
    throw new AppError('invalid_argument', 'data_crc32 does not match data', {
      problems: [{ field: 'data_crc32', reason: 'constraint', message: 'data_crc32 is not the CRC-32 of the decoded data' }],
    });
  }
  const problems = validators[type](bytes, nowMillis);
  if (problems.length > 0) {
    throw dataError(problems);
  }
  return algorithm;
};
