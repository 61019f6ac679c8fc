import type { TestServer } from './server.js';

/** A raw client for Coffer's own endpoints under /coffer/v1. */
export const cofferHttp = (server: Pick<TestServer, 'url' | 'secretKey'>, token: string = server.secretKey) => async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${server.url}/coffer/v1${path}`, {
    method,
    headers: { 'x-auth-token': token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : null) as Record<string, unknown> & { events?: Record<string, unknown>[] } };
};

/** Every event of the change feed after `since`, following `next_cursor` page by page. */
export const readFeed = async (server: Pick<TestServer, 'url' | 'secretKey'>, query: string, pageSize = 2, since = '0') => {
  const call = cofferHttp(server);
  const events: Record<string, unknown>[] = [];
  let cursor = since;
  for (;;) {
    const page = await call('GET', `/regions/fr-par/events?since=${cursor}&page_size=${pageSize}${query}`);
    if (page.status !== 200) {
      throw new Error(`feed answered ${page.status}: ${JSON.stringify(page.json)}`);
    }
    const batch = page.json.events ?? [];
    events.push(...batch);
    if (batch.length === 0) {
      return { events, cursor };
    }
    cursor = String(page.json.next_cursor);
  }
};
