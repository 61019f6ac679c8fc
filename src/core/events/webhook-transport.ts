/** One signed POST to a subscriber; the delivery job and the test endpoint share it. */
export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/** Resolves with the status of an answer; rejects when none came (refused, reset, timed out). */
export type WebhookTransport = (request: WebhookRequest) => Promise<{ status: number }>;

/**
 * Node's fetch, with a hard timeout and no redirects: a subscriber that moved answers 3xx,
 * which counts as a failure rather than sending signed events somewhere unconfigured.
 */
export const fetchTransport: WebhookTransport = async ({ url, headers, body, timeoutMs }) => {
  const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  // The answer's body is not read: free the connection without waiting for it.
  await response.body?.cancel().catch(() => undefined);
  return { status: response.status };
};

/** A short, loggable reason for a failed attempt: never a URL, a body or a header. */
export const failureReason = (error: unknown): string => {
  if (error instanceof Error) {
    const cause = error.cause;
    const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : '';
    if (error.name === 'TimeoutError' || error.name === 'AbortError') {
      return 'timeout';
    }
    return code === '' ? error.name : code;
  }
  return 'error';
};

/** The host a subscriber lives at, for logs: no credentials, path or query, which may carry tokens. */
export const loggableOrigin = (url: string): string => {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid-url';
  }
};
