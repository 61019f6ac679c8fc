import type { FastifyReply } from 'fastify';

/**
 * Writes JSON with `Content-Type: application/json` and no charset parameter: the
 * Scaleway JS SDK and hvac compare the header exactly and fail on anything else.
 * A Buffer is sent because Fastify appends a charset to string payloads.
 */
export const sendJson = (reply: FastifyReply, status: number, body: unknown): FastifyReply =>
  reply.code(status).header('content-type', 'application/json').send(Buffer.from(JSON.stringify(body)));

export const sendNoContent = (reply: FastifyReply): FastifyReply =>
  reply.code(204).header('content-type', 'application/json').send();
