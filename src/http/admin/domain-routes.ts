import type { FastifyInstance } from 'fastify';
import type { CofferServices } from '../services.js';

/** Region activation: creates the OVHcloud-style domain (okmsId) of a project in a region. */
export const registerDomainRoutes = (_app: FastifyInstance, _services: CofferServices): void => {};
