import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { TestServer } from './server.js';

export interface VaultAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  contentType: string | null;
  /** The body exactly as received. */
  text: string;
  /** Parsed body; null when the body is empty or not JSON (the text then tells why). */
  json: VaultBody | null;
}

export interface VaultBody {
  errors?: string[];
  data?: unknown;
  warnings?: string[] | null;
  mount_type?: string;
  [key: string]: unknown;
}

export interface VaultCallOptions {
  body?: unknown;
  /** Sent as is, instead of `body` serialized. */
  rawBody?: string | Buffer;
  contentType?: string;
  /** undefined: the server's key in X-Vault-Token; null: no token at all. */
  token?: string | null;
  headers?: Record<string, string>;
}

const parseJson = (text: string): VaultBody | null => {
  if (text === '') {
    return null;
  }
  try {
    return JSON.parse(text) as VaultBody;
  } catch {
    return null;
  }
};

/**
 * One request through node:http on a fresh connection: the verb (LIST included) and the
 * path go out exactly as written, where fetch would resolve `..` and `.` segments and so
 * hide path traversal from the server. A fresh connection per request, because the
 * server closes the one a LIST came on.
 */
const send = (url: string, method: string, path: string, options: VaultCallOptions, defaultToken: string): Promise<VaultAnswer> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const token = options.token === undefined ? defaultToken : options.token;
    const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const headers: Record<string, string> = {
      ...(token === null ? {} : { 'x-vault-token': token }),
      ...(payload === undefined ? {} : { 'content-type': options.contentType ?? 'application/json', 'content-length': String(Buffer.byteLength(payload)) }),
      ...options.headers,
    };
    let answered = false;
    const outgoing = httpRequest({ hostname, port, method, path, headers, agent: false }, (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, headers: response.headers, contentType: response.headers['content-type'] ?? null, text, json: parseJson(text) });
      });
    });
    // A server may answer (413) and close before a large body is fully written.
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (!(answered && (error.code === 'EPIPE' || error.code === 'ECONNRESET'))) {
        reject(error);
      }
    });
    outgoing.end(payload);
  });

/** A raw Vault HTTP client bound to one server: any verb, any body, exact statuses and bytes. */
export const vaultHttp = (server: Pick<TestServer, 'url' | 'secretKey'>, prefix = '/v1') => {
  const call = (method: string, path: string, options: VaultCallOptions = {}): Promise<VaultAnswer> =>
    send(server.url, method, `${prefix}/${path}`, options, server.secretKey);
  return {
    call,
    get: (path: string, options?: VaultCallOptions) => call('GET', path, options),
    post: (path: string, body: unknown, options?: VaultCallOptions) => call('POST', path, { ...options, body }),
    put: (path: string, body: unknown, options?: VaultCallOptions) => call('PUT', path, { ...options, body }),
    patch: (path: string, body: unknown, contentType = 'application/merge-patch+json') => call('PATCH', path, { body, contentType }),
    delete: (path: string, options?: VaultCallOptions) => call('DELETE', path, options),
    list: (path: string, options?: VaultCallOptions) => call('LIST', path, options),
  };
};

export type VaultHttp = ReturnType<typeof vaultHttp>;

/** A request whose path is absolute (`/v1/…`), sent as written. */
export const rawVaultRequest = (server: Pick<TestServer, 'url' | 'secretKey'>, method: string, path: string, body?: unknown): Promise<VaultAnswer> =>
  send(server.url, method, path, body === undefined ? {} : { body }, server.secretKey);

export const uniqueKey = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/** `data` of a Vault envelope, typed loosely for assertions. */
export const dataOf = (answer: VaultAnswer): Record<string, unknown> => (answer.json?.data ?? {}) as Record<string, unknown>;
export const metadataOf = (answer: VaultAnswer): Record<string, unknown> => (dataOf(answer).metadata ?? {}) as Record<string, unknown>;

/** Vault's envelope, in the order Vault emits it (spec §1.4). */
export const ENVELOPE_KEYS = ['request_id', 'lease_id', 'renewable', 'lease_duration', 'data', 'wrap_info', 'warnings', 'auth', 'mount_type'];
/** A version's metadata, as written and as read (spec §3.3, §3.4). */
export const VERSION_METADATA_KEYS = ['created_time', 'custom_metadata', 'deletion_time', 'destroyed', 'version'];
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** RFC 3339 in UTC with `Z`, optional fraction of up to 9 digits. */
export const RFC3339_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;

const describeAnswer = (answer: VaultAnswer): string => `${answer.status} ${answer.contentType ?? '-'} ${answer.text.slice(0, 500)}`;

/** A 200 envelope with exactly Vault's keys, in Vault's order, and `Content-Type: application/json`; returns its data. */
export const assertEnvelope = (answer: VaultAnswer, mountType = 'kv'): Record<string, unknown> => {
  assert.equal(answer.status, 200, describeAnswer(answer));
  assert.equal(answer.contentType, 'application/json', describeAnswer(answer));
  const body = answer.json ?? {};
  assert.deepEqual(Object.keys(body), ENVELOPE_KEYS, `envelope keys in Vault's order: ${describeAnswer(answer)}`);
  assert.match(String(body.request_id), UUID_PATTERN);
  assert.equal(body.lease_id, '');
  assert.equal(body.renewable, false);
  assert.equal(body.lease_duration, 0);
  assert.equal(body.wrap_info, null);
  assert.equal(body.auth, null);
  assert.equal(body.mount_type, mountType);
  assert.ok(body.warnings === null || Array.isArray(body.warnings), describeAnswer(answer));
  return dataOf(answer);
};

/** 204, an empty body, and still `Content-Type: application/json` (spec §1.4). */
export const assertNoContent = (answer: VaultAnswer): void => {
  assert.equal(answer.status, 204, describeAnswer(answer));
  assert.equal(answer.text, '', describeAnswer(answer));
  assert.equal(answer.contentType, 'application/json', describeAnswer(answer));
};

/**
 * An error in Vault's shape: the status, `Content-Type: application/json`, a body of only
 * `errors` (an array of strings); `errors` checks them exactly when given.
 */
export const assertVaultError = (answer: VaultAnswer, status: number, errors?: string[]): string[] => {
  assert.equal(answer.status, status, describeAnswer(answer));
  assert.equal(answer.contentType, 'application/json', describeAnswer(answer));
  assert.deepEqual(Object.keys(answer.json ?? {}), ['errors'], describeAnswer(answer));
  const found = answer.json?.errors ?? [];
  assert.ok(Array.isArray(found) && found.every((error) => typeof error === 'string'), describeAnswer(answer));
  if (errors !== undefined) {
    assert.deepEqual(found, errors, describeAnswer(answer));
  }
  return found;
};

/** Vault's `unsupported operation`, as its multierror prints it. */
export const UNSUPPORTED_OPERATION = '1 error occurred:\n\t* unsupported operation\n\n';
export const CAS_MISMATCH = 'check-and-set parameter did not match the current version';
export const CAS_REQUIRED = 'check-and-set parameter required for this call';

/** What node-vault rejects with: `errors[0]` as the message, or `Status <code>`, and the response. */
export interface ClientRejection {
  message: string;
  response?: {
    statusCode?: number;
    body?: { errors?: string[]; data?: { data?: unknown; metadata?: { deletion_time?: string; destroyed?: boolean; version?: number } } };
  };
}

/** The error a client call rejects with; fails the test if it resolves. */
export const rejectionOf = async (promise: Promise<unknown>): Promise<ClientRejection> => {
  try {
    await promise;
  } catch (error) {
    return error as ClientRejection;
  }
  assert.fail('expected the call to be rejected');
};
