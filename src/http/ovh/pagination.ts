import type { FastifyReply, FastifyRequest } from 'fastify';
import { invalidField } from '../../shared/errors.js';

const PAGE_SIZE = { min: 10, max: 100, default: 100 };

export interface PageRequest {
  size: number;
  /** The position of the last item of the previous page, decoded from the cursor. */
  after: string | null;
}

const headerOf = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

/** `X-Pagination-Size` (10–100, default 100) and `X-Pagination-Cursor` (base64url), as OVHcloud's API reads them. */
export const pageRequestOf = (request: FastifyRequest): PageRequest => {
  const sizeHeader = headerOf(request, 'x-pagination-size')?.trim();
  let size = PAGE_SIZE.default;
  if (sizeHeader !== undefined && sizeHeader !== '') {
    size = /^[0-9]{1,4}$/.test(sizeHeader) ? Number(sizeHeader) : Number.NaN;
    if (!(size >= PAGE_SIZE.min && size <= PAGE_SIZE.max)) {
      throw invalidField('X-Pagination-Size', 'constraint', `X-Pagination-Size must be an integer from ${PAGE_SIZE.min} to ${PAGE_SIZE.max}`);
    }
  }
  const cursor = headerOf(request, 'x-pagination-cursor')?.trim();
  if (cursor === undefined || cursor === '') {
    return { size, after: null };
  }
  const after = Buffer.from(cursor, 'base64url').toString('utf8');
  // Buffer decoding never fails; a cursor we did not issue does not survive the round trip.
  if (after === '' || Buffer.from(after, 'utf8').toString('base64url') !== cursor) {
    throw invalidField('X-Pagination-Cursor', 'format', 'X-Pagination-Cursor is not a cursor this API returned');
  }
  return { size, after };
};

/**
 * One page of `items`, which are sorted by position; the cursor of the next page goes
 * in `X-Pagination-Cursor-Next` only when more items follow.
 */
export const takePage = <T>(
  reply: FastifyReply,
  items: readonly T[],
  page: PageRequest,
  positionOf: (item: T) => string,
  isAfter: (item: T, position: string) => boolean,
): T[] => {
  const { after } = page;
  const remaining = after === null ? items : items.filter((item) => isAfter(item, after));
  const taken = remaining.slice(0, page.size);
  const last = taken.at(-1);
  if (last !== undefined && remaining.length > taken.length) {
    reply.header('x-pagination-cursor-next', Buffer.from(positionOf(last), 'utf8').toString('base64url'));
  }
  return taken;
};
