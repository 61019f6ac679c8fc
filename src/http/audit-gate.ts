import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * What stands between a handler's answer and the client: the request's audit event.
 * The response leaves only once the event is durable; if it cannot be made durable the
 * client gets `refusal` (a 503 in the API's own shape) and never the answer.
 */
export interface AuditGate {
  record(status: number): Promise<void>;
  refusal(): { status: number; body: string };
}

const gates = new WeakMap<FastifyRequest, AuditGate>();

export const openGate = (request: FastifyRequest, gate: AuditGate): void => {
  gates.set(request, gate);
};

/** The request's gate, once: a request yields one event however its answer is written. */
export const takeGate = (request: FastifyRequest): AuditGate | undefined => {
  const gate = gates.get(request);
  gates.delete(request);
  return gate;
};

type Headers = Record<string, string | number | string[]>;

const write = (reply: FastifyReply, status: number, headers: Headers, body: string): void => {
  reply.raw.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  reply.raw.end(body);
};

/**
 * Writes a complete response on a hijacked reply after its audit event. Without a gate
 * (auditing off, or a route outside the trail) it writes at once, synchronously.
 */
export const writeAudited = (reply: FastifyReply, status: number, headers: Headers, body: string): void => {
  const gate = takeGate(reply.request);
  if (!gate) {
    write(reply, status, headers, body);
    return;
  }
  gate.record(status).then(
    () => write(reply, status, headers, body),
    () => {
      const refusal = gate.refusal();
      write(reply, refusal.status, { 'content-type': 'application/json', 'x-request-id': reply.request.id }, refusal.body);
    },
  );
};

/** For streamed answers: resolves true once the event is durable, or answers the refusal and resolves false. */
export const admitStream = async (reply: FastifyReply, status: number): Promise<boolean> => {
  const gate = takeGate(reply.request);
  if (!gate) {
    return true;
  }
  try {
    await gate.record(status);
    return true;
  } catch {
    const refusal = gate.refusal();
    write(reply, refusal.status, { 'content-type': 'application/json', 'x-request-id': reply.request.id }, refusal.body);
    return false;
  }
};
