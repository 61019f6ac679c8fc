import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { TestServer } from './server.js';

export interface VaultAnswer {
  status: number;
  contentType: string | null;
  text: string;
  /** Parsed body, or null when empty. */
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
  /** Sent as is when the body is a string. */
  rawBody?: string;
  contentType?: string;
  token?: string | null;
}

/** A raw Vault HTTP client over fetch: any verb (LIST included), any body, exact statuses. */
export const vaultHttp = (server: Pick<TestServer, 'url' | 'secretKey'>, prefix = '/v1') => {
  const call = async (method: string, path: string, options: VaultCallOptions = {}): Promise<VaultAnswer> => {
    const headers: Record<string, string> = {};
    const token = options.token === undefined ? server.secretKey : options.token;
    if (token !== null) {
      headers['x-vault-token'] = token;
    }
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (body !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json';
    }
    const response = await fetch(`${server.url}${prefix}/${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get('content-type'), text, json: text ? (JSON.parse(text) as VaultBody) : null };
  };
  return {
    call,
    get: (path: string, options?: VaultCallOptions) => call('GET', path, options),
    post: (path: string, body: unknown, options?: VaultCallOptions) => call('POST', path, { ...options, body }),
    put: (path: string, body: unknown, options?: VaultCallOptions) => call('PUT', path, { ...options, body }),
    patch: (path: string, body: unknown, contentType = 'application/merge-patch+json') => call('PATCH', path, { body, contentType }),
    delete: (path: string) => call('DELETE', path),
    list: (path: string) => call('LIST', path),
  };
};

export type VaultHttp = ReturnType<typeof vaultHttp>;

/**
 * Sends the path exactly as written: fetch resolves `..` and `.` segments before
 * sending, which would hide path traversal from the server under test.
 */
export const rawVaultRequest = (server: Pick<TestServer, 'url' | 'secretKey'>, method: string, path: string, body?: unknown): Promise<VaultAnswer> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(server.url);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string | number> = { 'x-vault-token': server.secretKey };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    const outgoing = httpRequest({ hostname, port, method, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const contentType = response.headers['content-type'] ?? null;
        resolve({ status: response.statusCode ?? 0, contentType, text, json: text ? (JSON.parse(text) as VaultBody) : null });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(payload);
  });

export const uniqueKey = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/** `data` of a Vault envelope, typed loosely for assertions. */
export const dataOf = (answer: VaultAnswer): Record<string, unknown> => (answer.json?.data ?? {}) as Record<string, unknown>;
export const metadataOf = (answer: VaultAnswer): Record<string, unknown> => (dataOf(answer).metadata ?? {}) as Record<string, unknown>;
