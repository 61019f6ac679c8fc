import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
}

/**
 * A real HTTP endpoint in the test process that records what it is sent. `answer` sets
 * the status of the following requests (0: never answer); `down()` closes the port (connections refused)
 * and `up()` opens the same port again, as a consumer that went away and came back.
 */
export const startWebhookReceiver = async () => {
  const received: ReceivedRequest[] = [];
  let status = 200;
  let server: Server | null = null;
  let port = 0;

  const listen = async (): Promise<void> => {
    const next = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (status === 0) {
          // Hangs: the sender must give up on its own (closeAllConnections ends it).
          return;
        }
        // Only acknowledged deliveries count as received; failed ones are what the sender retries.
        if (status >= 200 && status < 300) {
          received.push({ headers: request.headers, body, json: JSON.parse(body) as Record<string, unknown> });
        }
        response.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => resolve());
    });
    port = (next.address() as AddressInfo).port;
    server = next;
  };
  const close = async (): Promise<void> => {
    const current = server;
    server = null;
    if (current) {
      current.closeAllConnections();
      await new Promise<void>((resolve) => current.close(() => resolve()));
    }
  };

  await listen();
  return {
    received,
    get url(): string {
      return `http://127.0.0.1:${port}/hooks/coffer`;
    },
    answer(next: number): void {
      status = next;
    },
    down: close,
    up: listen,
    close,
  };
};

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
