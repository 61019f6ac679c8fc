/** The console's only way to the server: Coffer's public HTTP APIs, authenticated by the session cookie. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
  ) {
    super(message);
  }
}

const CSRF_COOKIE = 'coffer_csrf';
export const SESSION_URL = '/coffer/v1/session';

const csrfToken = (): string => {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === CSRF_COOKIE) {
      return rest.join('=');
    }
  }
  return '';
};

interface ErrorBody {
  message?: string;
  type?: string;
  help_message?: string;
  errors?: string[];
  details?: { argument_name?: string; help_message?: string }[];
}

/** A sentence a person can act on, from any of the APIs' error envelopes. */
const messageOf = (status: number, body: ErrorBody, url: string): string => {
  if (status === 401 && url.endsWith(SESSION_URL)) {
    return 'Sign-in refused: wrong email or password, or an unknown or expired API key.';
  }
  if (status === 429) {
    return `Too many attempts: ${body.message ?? 'try again in a minute'}.`;
  }
  const details = (body.details ?? []).map((detail) => `${detail.argument_name ?? ''}: ${(detail.help_message ?? '').trim()}`).join('; ');
  if (status === 403) {
    return `You are not allowed to do this (403: ${body.help_message ?? body.message ?? 'insufficient permissions'}). Ask an administrator for a policy that grants it.`;
  }
  if (status === 401) {
    return 'Your session has ended. Sign in again.';
  }
  return [body.message ?? body.errors?.join('; ') ?? `HTTP ${status}`, body.help_message, details].filter(Boolean).join(' — ');
};

let onSignedOut: () => void = () => undefined;
/** Called when any request finds the session gone, so the app can show the sign-in page. */
export const whenSignedOut = (handler: () => void): void => {
  onSignedOut = handler;
};

export const request = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  if (method !== 'GET') {
    headers['x-csrf-token'] = csrfToken();
  }
  const response = await fetch(url, { method, headers, credentials: 'same-origin', body: body === undefined ? null : JSON.stringify(body) });
  const text = await response.text();
  const parsed: unknown = text === '' ? {} : JSON.parse(text);
  if (!response.ok) {
    const error = parsed as ErrorBody;
    if (response.status === 401 && !url.endsWith(SESSION_URL)) {
      onSignedOut();
    }
    throw new ApiError(response.status, messageOf(response.status, error, url), error.type ?? 'error');
  }
  return parsed as T;
};

export const get = <T>(url: string): Promise<T> => request<T>('GET', url);
export const post = <T>(url: string, body: unknown = {}): Promise<T> => request<T>('POST', url, body);
export const patch = <T>(url: string, body: unknown): Promise<T> => request<T>('PATCH', url, body);
export const del = <T>(url: string): Promise<T> => request<T>('DELETE', url);

export const query = (params: Record<string, string | number | undefined>): string => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
};

export const secretsApi = (region: string): string => `/secret-manager/v1beta1/regions/${encodeURIComponent(region)}`;

/** Base64 of UTF-8 text or bytes, as the Scaleway API carries payloads. */
export const toBase64 = (bytes: Uint8Array): string => {
  let binary = '';
  bytes.forEach((byte) => (binary += String.fromCharCode(byte)));
  return btoa(binary);
};
export const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
export const decodeUtf8 = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
