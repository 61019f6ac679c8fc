import type { FastifyReply } from 'fastify';

/**
 * Writes JSON with `Content-Type: application/json` and no charset parameter: the
 * Scaleway JS SDK and hvac compare the header exactly and fail on anything else.
 * The response is written straight to Node's socket: Fastify would append a charset
 * to a string, and a Buffer body costs an extra vectored write on every response
 * (it was a quarter of the CPU time of a secret read).
 */
export const sendJson = (reply: FastifyReply, status: number, body: unknown): FastifyReply => {
  const text = JSON.stringify(body);
  reply.hijack();
  // Headers set on the reply before (Retry-After, pagination) go out with the body.
  reply.raw.writeHead(status, {
    ...(reply.getHeaders() as Record<string, string | number | string[]>),
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-request-id': reply.request.id,
  });
  reply.raw.end(text);
  return reply;
};

export const sendNoContent = (reply: FastifyReply): FastifyReply =>
  reply.code(204).header('content-type', 'application/json').send();
