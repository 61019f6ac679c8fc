import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../core/iam/index.js';
import type { KvKeyMetadata, KvScope } from '../../core/kv/index.js';
import { notFound } from '../../shared/errors.js';
import type { CofferServices } from '../services.js';

/** One request to the regional API, with its caller and the domain its okmsId names. */
export interface OvhCall {
  services: CofferServices;
  actor: Actor;
  scope: KvScope;
  request: FastifyRequest;
  reply: FastifyReply;
}

/** A request about one secret, `path` decoded from the URL. */
export interface SecretCall extends OvhCall {
  path: string;
}

export const queryOf = (call: OvhCall): Record<string, unknown> => call.request.query as Record<string, unknown>;

/** The secret's metadata, or 404: every route below `/secret/{path}` needs the secret to exist. */
export const existingMetadata = async (call: SecretCall): Promise<KvKeyMetadata> => {
  const metadata = await call.services.kv.getMetadata(call.actor, call.scope, call.path);
  if (!metadata) {
    throw notFound('secret', call.path);
  }
  return metadata;
};
