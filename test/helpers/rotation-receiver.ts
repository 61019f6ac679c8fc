import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got, with what it checked. */
export interface ReceivedCall {
  body: Record<string, unknown>;
  rawBody: string;
  headers: IncomingMessage['headers'];
  signatureValid: boolean;
}

export type ReceiverAnswer = { status: number; body?: unknown } | ((call: ReceivedCall) => Promise<{ status: number; body?: unknown }>);

/**
 * A real HTTP receiver for rotation webhooks, in the test process. It verifies each
 * request the way a user's endpoint should: HMAC-SHA256 over "<timestamp>.<body>" with
 * the signing secret, compared in constant time.
 */
export const startRotationReceiver = async () => {
  const calls: ReceivedCall[] = [];
  const answers: ReceiverAnswer[] = [];
  let fallback: ReceiverAnswer = { status: 500 };
  const signingSecrets = new Map<string, string>();

  const verify = (headers: IncomingMessage['headers'], rawBody: string, secretId: string): boolean => {
    const signingSecret = signingSecrets.get(secretId) ?? '';
    const timestamp = String(headers['x-coffer-timestamp'] ?? '');
    const signature = Buffer.from(String(headers['x-coffer-signature'] ?? ''));
    const expected = Buffer.from(`v1=${createHmac('sha256', Buffer.from(signingSecret, 'utf8')).update(`${timestamp}.${rawBody}`).digest('hex')}`);
    return /^\d+$/.test(timestamp) && signature.length === expected.length && timingSafeEqual(signature, expected);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) {
      chunks.push(chunk as Buffer);
    }
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const body = JSON.parse(rawBody) as Record<string, unknown>;
    const call: ReceivedCall = { body, rawBody, headers: request.headers, signatureValid: verify(request.headers, rawBody, String(body.secret_id)) };
    calls.push(call);
    const planned = answers.shift() ?? fallback;
    // A receiver refuses what it cannot authenticate.
    const answer = !call.signatureValid ? { status: 401, body: { error: 'bad signature' } } : typeof planned === 'function' ? await planned(call) : planned;
    response.writeHead(answer.status, answer.body === undefined ? {} : { 'content-type': 'application/json' });
    response.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
  };

  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/rotate`,
    calls,
    /** The next answers, in order; after them, `otherwise`. */
    plan(next: ReceiverAnswer[], otherwise: ReceiverAnswer = { status: 500 }) {
      answers.splice(0, answers.length, ...next);
      fallback = otherwise;
      calls.splice(0, calls.length);
    },
    /** The signing secret PUT rotation-policy showed for this secret. */
    useSigningSecret(secretId: string, secret: string) {
      signingSecrets.set(secretId, secret);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

export type RotationReceiver = Awaited<ReturnType<typeof startRotationReceiver>>;
