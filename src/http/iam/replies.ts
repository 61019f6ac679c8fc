import type { FastifyReply } from 'fastify';
import { sendJson } from '../json.js';

/** Scaleway's list envelope: the items under their plural name, and their count. */
export const listed = <T>(reply: FastifyReply, name: string, items: T[]) => sendJson(reply, 200, { [name]: items, total_count: items.length });

export const idOf = (params: unknown): string => (params as { id?: string }).id ?? '';
