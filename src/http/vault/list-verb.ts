import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyInstance } from 'fastify';

const MAX_HEADER_BYTES = 16 * 1024;

interface ParsedList {
  url: string;
  headers: Record<string, string>;
}

/** `?list=true` on the target, replacing any `list` the client gave: the verb already says list. */
const asListQuery = (target: string): string => {
  const queryAt = target.indexOf('?');
  const path = queryAt === -1 ? target : target.slice(0, queryAt);
  const kept = queryAt === -1 ? [] : target.slice(queryAt + 1).split('&').filter((pair) => pair !== '' && !new URLSearchParams(pair).has('list'));
  return `${path}?${[...kept, 'list=true'].join('&')}`;
};

/**
 * The request line and headers of a `LIST` request, or null if the header block is not all
 * in the packet Node handed over, or a body is announced (a body would need the parser back).
 */
export const parseListRequest = (raw: Buffer): ParsedList | null => {
  const text = raw.subarray(0, MAX_HEADER_BYTES).toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) {
    return null;
  }
  const [requestLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const match = /^LIST (\S+) HTTP\/1\.[01]$/.exec(requestLine);
  if (!match?.[1]) {
    return null;
  }
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) {
      return null;
    }
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const announcesBody = (headers['content-length'] !== undefined && headers['content-length'] !== '0') || headers['transfer-encoding'] !== undefined;
  if (announcesBody) {
    return null;
  }
  return { url: asListQuery(match[1]), headers };
};

/** A verb Node does not know, other than LIST, sent to a Vault path: Vault answers those 405. */
const isUnknownVerbForVault = (raw: unknown): boolean => {
  if (!Buffer.isBuffer(raw)) {
    return false;
  }
  const requestLine = raw.subarray(0, MAX_HEADER_BYTES).toString('latin1').split('\r\n')[0] ?? '';
  const match = /^([A-Z][A-Z_-]*) (\/(?:api\/[^/\s]+\/)?v1\/\S*) HTTP\/1\.[01]$/.exec(requestLine);
  return match !== null && match[1] !== 'LIST';
};

const refuseUnknownVerb = (socket: Socket): void => {
  const body = '{"errors":[]}';
  if (socket.writable) {
    socket.end(`HTTP/1.1 405 Method Not Allowed\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
};

const refusal = (error: Error & { code?: string }, socket: Socket): void => {
  if (error.code === 'ECONNRESET' || socket.destroyed) {
    return;
  }
  const [status, message] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Client Timeout']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Exceeded maximum allowed HTTP header size']
        : [400, 'Client Error'];
  const body = JSON.stringify({ error: STATUS_CODES[status], message, statusCode: status });
  if (socket.writable) {
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
};

/**
 * Fastify's `clientErrorHandler`. Node's HTTP parser rejects Vault's `LIST` verb before
 * any route sees it; this turns such a request into `GET …?list=true`, which Vault
 * treats the same, and answers it on the socket. The connection closes afterwards: the
 * parser cannot resume after its error. Other client errors are refused as Fastify does.
 */
export function answerListVerb(this: FastifyInstance, error: ConnectionError, socket: Socket): void {
  // Typed as a serialized Buffer, but Node hands over the Buffer itself.
  const raw: unknown = error.rawPacket;
  if (error.code === 'HPE_INVALID_METHOD' && isUnknownVerbForVault(raw)) {
    refuseUnknownVerb(socket);
    return;
  }
  const parsed = error.code === 'HPE_INVALID_METHOD' && Buffer.isBuffer(raw) ? parseListRequest(raw) : null;
  if (!parsed) {
    refusal(error, socket);
    return;
  }
  // The caller's address, so that the re-dispatched request looks like the one that came in.
  const remote = socket.remoteAddress === undefined ? {} : { remoteAddress: socket.remoteAddress };
  this.inject({ method: 'GET', url: parsed.url, headers: parsed.headers, ...remote })
    .then((response) => {
      const headers = Object.entries(response.headers)
        .filter(([name]) => !['connection', 'transfer-encoding', 'content-length'].includes(name))
        .map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : String(value)}`);
      const head = [
        `HTTP/1.1 ${response.statusCode} ${STATUS_CODES[response.statusCode] ?? ''}`,
        ...headers,
        `content-length: ${response.rawPayload.length}`,
        'connection: close',
      ].join('\r\n');
      socket.end(Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), response.rawPayload]));
    })
    .catch((failure: unknown) => refusal(failure instanceof Error ? failure : error, socket));
}
