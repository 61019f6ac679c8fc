import type { FastifyInstance } from 'fastify';
import type { CofferServices } from '../services.js';

/** OVHcloud Secret Manager's regional REST API, mounted at /api/:okmsId/v2. */
export const registerOvhApi = (_app: FastifyInstance, _services: CofferServices): void => {};
