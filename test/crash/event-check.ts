import assert from 'node:assert/strict';
import type { AckedSecret, LoadTarget } from './write-load.js';

interface FeedEvent {
  id: string;
  cursor: string;
  type: string;
  secret_id: string;
  revision?: number;
}

const getJson = async (server: LoadTarget, path: string): Promise<{ status: number; json: Record<string, unknown> }> => {
  const response = await fetch(`${server.url}${path}`, { headers: { 'x-auth-token': server.secretKey } });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
};

/** The whole change feed, page by page, from the beginning. */
export const readWholeFeed = async (server: LoadTarget, region = 'fr-par'): Promise<FeedEvent[]> => {
  const events: FeedEvent[] = [];
  for (let since = '0'; ; ) {
    const page = await getJson(server, `/coffer/v1/regions/${region}/events?since=${since}&page_size=500`);
    assert.equal(page.status, 200, JSON.stringify(page.json));
    const batch = page.json.events as FeedEvent[];
    if (batch.length === 0) {
      return events;
    }
    events.push(...batch);
    since = String(page.json.next_cursor);
  }
};

/**
 * The feed holds exactly the committed changes: one `secret.created` per secret in the
 * store (acknowledged or cut by a kill) and none for a secret that is not there, and for
 * each secret one `version.created` per committed revision, 1..n in feed order, whether
 * or not the write was answered. Cursors are gapless and ids unique. Returns the events read.
 */
export const checkFeedMatchesStore = async (server: LoadTarget, acknowledged: readonly AckedSecret[], region = 'fr-par'): Promise<number> => {
  const events = await readWholeFeed(server, region);
  assert.deepEqual(events.map((event) => Number(event.cursor)), Array.from({ length: events.length }, (_, index) => index + 1), 'cursors are 1..n');
  assert.equal(new Set(events.map((event) => event.id)).size, events.length, 'event ids are unique');
  const created = events.filter((event) => event.type === 'secret.created').map((event) => event.secret_id);
  assert.equal(new Set(created).size, created.length, 'one secret.created per secret');
  for (const secret of acknowledged) {
    assert.ok(created.includes(secret.id), `acknowledged secret ${secret.id} has no secret.created`);
  }
  for (const secretId of created) {
    const meta = await getJson(server, `/secret-manager/v1beta1/regions/${region}/secrets/${secretId}`);
    assert.equal(meta.status, 200, `secret.created for ${secretId}, which is not in the store`);
    const count = Number(meta.json.version_count);
    const revisions = events.filter((event) => event.type === 'version.created' && event.secret_id === secretId).map((event) => event.revision);
    assert.deepEqual(revisions, Array.from({ length: count }, (_, index) => index + 1), `${secretId}: version.created events are not 1..${count} in order`);
  }
  const known = new Set(created);
  assert.ok(events.every((event) => known.has(event.secret_id)), 'every event is about a secret the feed saw created');
  return events.length;
};
