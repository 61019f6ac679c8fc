import type { FastifyInstance } from 'fastify';
import { buildOpenApiDocument } from './document.js';

const API_VERSION = '0.1.0';

/** `GET /openapi.json`: public, like any API description; it holds no data. Audited as any request. */
export const registerOpenApi = (app: FastifyInstance): void => {
  const text = JSON.stringify(buildOpenApiDocument(API_VERSION));
  app.get('/openapi.json', async (_request, reply) => reply.header('content-type', 'application/json').header('cache-control', 'no-cache').send(text));
};
