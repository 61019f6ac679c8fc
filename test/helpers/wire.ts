import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { TestServer } from './server.js';

/**
 * Raw HTTP against the Scaleway wire API for end-to-end tests: bodies may be any
 * string (malformed JSON included), headers are under the test's control, and the
 * response keeps its exact text so that key order and bytes can be checked.
 */
export interface WireResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body, or undefined when the body is empty or not JSON. */
  json: unknown;
}

export interface WireRequest {
  /** An object is sent as JSON; a string is sent as is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Repeated keys for arrays, as the SDKs send them. */
  query?: Record<string, string | number | boolean | (string | number)[] | undefined>;
  /** Send no X-Auth-Token header. */
  anonymous?: boolean;
}

export const queryString = (query: WireRequest['query'] = {}): string => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      params.append(key, String(item));
    }
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
};

export const rawFetch = async (url: string, init: RequestInit): Promise<WireResponse> => {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
};

export type Wire = ReturnType<typeof wire>;

/** A client bound to one server and region; paths are relative to `/regions/{region}`. */
export const wire = (server: Pick<TestServer, 'url' | 'secretKey' | 'projectId'>, region = 'fr-par') => {
  const base = `${server.url}/secret-manager/v1beta1/regions/${region}`;
  const request = (method: string, path: string, options: WireRequest = {}): Promise<WireResponse> => {
    const headers: Record<string, string> = { ...(options.anonymous ? {} : { 'x-auth-token': server.secretKey }) };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] = 'application/json; charset=utf-8';
    }
    Object.assign(headers, options.headers);
    return rawFetch(`${base}${path}${queryString(options.query)}`, { method, headers, ...(body === undefined ? {} : { body }) });
  };
  const ok = async (method: string, path: string, options: WireRequest = {}): Promise<Record<string, unknown>> => {
    const response = await request(method, path, options);
    assert.equal(response.status, 200, `${method} ${path}: ${response.status} ${response.text}`);
    return response.json as Record<string, unknown>;
  };
  return {
    base,
    request,
    ok,
    get: (path: string, options?: WireRequest) => request('GET', path, options),
    post: (path: string, body: unknown = {}, options?: WireRequest) => request('POST', path, { ...options, body }),
    patch: (path: string, body: unknown, options?: WireRequest) => request('PATCH', path, { ...options, body }),
    del: (path: string, options?: WireRequest) => request('DELETE', path, options),
    createSecret: (body: Record<string, unknown>) => ok('POST', '/secrets', { body: { project_id: server.projectId, ...body } }),
    addVersion: (secretId: string, data: string | Buffer, extra: Record<string, unknown> = {}) =>
      ok('POST', `/secrets/${secretId}/versions`, { body: { data: Buffer.from(data).toString('base64'), ...extra } }),
  };
};

/** A name no other test in the same server will pick. */
export const uniqueName = (prefix = 'e2e'): string => `${prefix}-${randomBytes(5).toString('hex')}`;

export const b64 = (value: string | Buffer): string => Buffer.from(value).toString('base64');
export const unb64 = (value: unknown): string => Buffer.from(String(value), 'base64').toString('utf8');

export const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Field order of Scaleway's recorded bodies (spec §3.1, §3.2, §3.4). */
export const SECRET_KEYS = [
  'id', 'project_id', 'name', 'status', 'created_at', 'updated_at', 'tags', 'version_count', 'description',
  'managed', 'protected', 'type', 'path', 'ephemeral_policy', 'used_by', 'deletion_requested_at', 'key_id', 'region',
];
export const VERSION_KEYS = [
  'revision', 'secret_id', 'status', 'created_at', 'updated_at', 'deleted_at', 'description', 'latest',
  'ephemeral_properties', 'deletion_requested_at', 'region',
];
export const ACCESS_KEYS = ['secret_id', 'revision', 'data', 'data_crc32', 'type'];

/** Asserts a JSON response with exactly `Content-Type: application/json`. */
export const assertJsonContentType = (response: WireResponse): void => {
  assert.equal(response.headers.get('content-type'), 'application/json', `content-type of ${response.status} ${response.text}`);
};

/** Asserts a Scaleway error envelope of the given status and type; returns the body. */
export const assertScalewayError = (response: WireResponse, status: number, type: string): Record<string, unknown> => {
  assert.equal(response.status, status, `expected ${status} ${type}, got ${response.status} ${response.text}`);
  assertJsonContentType(response);
  const body = response.json as Record<string, unknown>;
  assert.equal(typeof body, 'object', response.text);
  assert.equal(body.type, type, response.text);
  assert.equal(typeof body.message, 'string', response.text);
  return body;
};

/**
 * Asserts 400 invalid_arguments naming `argument` among its details (a RegExp matches
 * nested names such as `tags` or `tags.1`); returns that detail.
 */
export const assertInvalidArgument = (response: WireResponse, argument: string | RegExp): Record<string, unknown> => {
  const body = assertScalewayError(response, 400, 'invalid_arguments');
  assert.equal(body.message, 'invalid argument(s)');
  const details = body.details as Record<string, unknown>[];
  assert.ok(Array.isArray(details) && details.length > 0, response.text);
  for (const detail of details) {
    assert.equal(typeof detail.argument_name, 'string', response.text);
    assert.ok(['required', 'format', 'constraint'].includes(String(detail.reason)), response.text);
  }
  const found = details.find((detail) =>
    typeof argument === 'string' ? detail.argument_name === argument : argument.test(String(detail.argument_name)),
  );
  assert.ok(found, `no detail for ${String(argument)} in ${response.text}`);
  return found;
};

export const sleep = (ms: number): Promise<void> => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

/** Polls `check` until it returns true or `timeoutMs` passes; returns the last outcome. */
export const eventually = async (check: () => Promise<boolean>, timeoutMs = 5000, stepMs = 100): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) {
      return true;
    }
    if (Date.now() > deadline) {
      return false;
    }
    await sleep(stepMs);
  }
};

/**
 * A request through node:http, for what fetch refuses to send: a body on GET or
 * DELETE (the Python SDK sends `{}` there, with no Content-Type).
 */
export const rawHttp = async (
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string | Buffer,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> => {
  const { request } = await import('node:http');
  return new Promise((resolveResponse, reject) => {
    let answered = false;
    const outgoing = request(url, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) } }, (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolveResponse({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    // A server may answer (413, 400) and close before a large body is fully written:
    // the write then fails with EPIPE or ECONNRESET, but the answer is what counts.
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (answered && (error.code === 'EPIPE' || error.code === 'ECONNRESET')) {
        return;
      }
      reject(error);
    });
    outgoing.end(body);
  });
};
