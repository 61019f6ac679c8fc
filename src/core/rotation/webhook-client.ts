/** What the rotation needs from an HTTP client; a port so the core names no HTTP package. */
export interface WebhookTransport {
  post(url: string, headers: Record<string, string>, body: string, timeoutSeconds: number): Promise<WebhookReply>;
}

export type WebhookReply = { kind: 'answered'; status: number; body: string } | { kind: 'unreachable'; message: string };

/** Replies longer than this are not a value Coffer could store anyway (payloads stop at 64 KiB). */
const MAX_REPLY_BYTES = 256 * 1024;

const readCapped = async (response: Response): Promise<string> => {
  const reader = response.body?.getReader();
  if (!reader) {
    return '';
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    total += value.byteLength;
    if (total > MAX_REPLY_BYTES) {
      await reader.cancel();
      throw new Error(`the reply is over ${MAX_REPLY_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
};

/**
 * Node's fetch. Redirects are not followed: a signed request goes only where the policy
 * says. Network errors and timeouts come back as `unreachable`, never as a throw.
 */
export const fetchTransport: WebhookTransport = {
  async post(url, headers, body, timeoutSeconds) {
    try {
      const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutSeconds * 1000) });
      return { kind: 'answered', status: response.status, body: await readCapped(response) };
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      return { kind: 'unreachable', message: `${error instanceof Error ? error.message : 'request failed'}${cause}`.slice(0, 300) };
    }
  },
};
