import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../core/iam/index.js';
import type { KvScope } from '../../core/kv/index.js';
import type { CofferServices } from '../services.js';
import { VaultRequestError, type RequestData } from './fields.js';

export type Operation = 'read' | 'list' | 'update' | 'patch' | 'delete';

/** One KV v2 request, resolved to its mount's scope and the key path after the endpoint prefix. */
export interface KvCall {
  services: CofferServices;
  actor: Actor;
  scope: KvScope;
  path: string;
  data: RequestData;
  request: FastifyRequest;
  reply: FastifyReply;
}

export type KvHandler = (call: KvCall) => Promise<FastifyReply>;

const MERGE_PATCH = 'application/merge-patch+json';

/** Vault refuses a PATCH whose media type is not JSON merge patch, before reading anything. */
export const requireMergePatch = (call: KvCall): void => {
  const provided = call.request.headers['content-type'] ?? '';
  const mediaType = provided.split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType !== MERGE_PATCH) {
    throw new VaultRequestError(`PATCH requires Content-Type of ${MERGE_PATCH}, provided ${provided}`, 415);
  }
};

export const missingPath = (): VaultRequestError => new VaultRequestError('missing path');

/** Go marshals maps with sorted keys; clients that print secrets show them in that order. */
export const sortKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) {
    return value.map(sortKeys);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
};
