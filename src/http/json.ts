import type { FastifyReply } from 'fastify';
import { writeAudited } from './audit-gate.js';

/**
 * Writes JSON with `Content-Type: application/json` and no charset parameter: the
 * Scaleway JS SDK and hvac compare the header exactly and fail on anything else.
 * The response is written straight to Node's socket: Fastify would append a charset
 * to a string, and a Buffer body costs an extra vectored write on every response
 * (it was a quarter of the CPU time of a secret read). It leaves once the request's
 * audit event is durable.
 */
export const sendJson = (reply: FastifyReply, status: number, body: unknown): FastifyReply => {
  const text = JSON.stringify(body);
  reply.hijack();
  // Headers set on the reply before (Retry-After, pagination) go out with the body.
  writeAudited(
    reply,
    status,
    { ...(reply.getHeaders() as Record<string, string | number | string[]>), 'content-type': 'application/json', 'x-request-id': reply.request.id },
    text,
  );
  return reply;
};

export const sendNoContent = (reply: FastifyReply): FastifyReply =>
  reply.code(204).header('content-type', 'application/json').send();
