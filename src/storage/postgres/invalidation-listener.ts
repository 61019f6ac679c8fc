import pg from 'pg';
import { createSubscribers, FALLBACK_LIFETIME_MS, type CacheInvalidation, type InvalidationTopic } from '../../core/cache/index.js';
import { translateDriverError } from '../sql/sql-driver.js';

export const INVALIDATION_CHANNEL = 'coffer_invalidate';

/** How often the listening connection proves it is alive, and how long it may stay silent. */
const HEARTBEAT_MS = 200;
const SILENCE_LIMIT_MS = 700;
const RECONNECT_MS = 250;

const TOPICS: ReadonlySet<string> = new Set<InvalidationTopic>(['iam', 'kms-key']);

export interface PostgresInvalidation extends CacheInvalidation {
  /** Whether invalidations from other processes are arriving (for tests and metrics). */
  listening(): boolean;
  close(): Promise<void>;
}

const encode = (topic: InvalidationTopic, key: string): string => `${topic}:${key}`;

const decode = (payload: string | undefined): { topic: InvalidationTopic; key: string } | null => {
  const colon = payload?.indexOf(':') ?? -1;
  const topic = payload?.slice(0, colon) ?? '';
  return payload !== undefined && colon > 0 && TOPICS.has(topic) ? { topic: topic as InvalidationTopic, key: payload.slice(colon + 1) } : null;
};

/**
 * Cross-process cache invalidation over PostgreSQL LISTEN/NOTIFY. Writers notify through
 * the pool once their transaction has committed; every process listens on one dedicated
 * connection, which a heartbeat checks every 200 ms. When it has been silent for 700 ms,
 * or fails, every cache is flushed and entries live at most FALLBACK_LIFETIME_MS until a
 * new connection listens again (then caches are flushed once more). So a committed change
 * reaches every process's caches within about one second, whatever happens to the network.
 */
export const startPostgresInvalidation = (url: string): PostgresInvalidation => {
  const subscribers = createSubscribers();
  // Its own two connections: publishing must not wait behind a busy request pool.
  const publisher = new pg.Pool({ connectionString: url, max: 2, application_name: 'coffer-invalidation', connectionTimeoutMillis: 5_000 });
  publisher.on('error', () => {});
  let client: pg.Client | null = null;
  let lastHeard = 0;
  let closed = false;
  let heartbeatInFlight = false;
  let reconnectTimer: NodeJS.Timeout | undefined;

  const live = (): boolean => client !== null && Date.now() - lastHeard <= SILENCE_LIMIT_MS;

  const lose = (stale: pg.Client): void => {
    if (client !== stale) {
      return;
    }
    client = null;
    // Invalidations may have been missed from here on: nothing cached before is trusted.
    subscribers.flushAll();
    stale.removeAllListeners('notification');
    void stale.end().catch(() => {});
    scheduleReconnect();
  };

  const connect = async (): Promise<void> => {
    const candidate = new pg.Client({ connectionString: url, application_name: 'coffer-listener', keepAlive: true, connectionTimeoutMillis: 2_000 });
    candidate.on('error', () => lose(candidate));
    candidate.on('end', () => lose(candidate));
    candidate.on('notification', (message) => {
      const decoded = decode(message.payload);
      if (decoded) {
        subscribers.dispatch(decoded.topic, decoded.key);
      }
    });
    try {
      await candidate.connect();
      await candidate.query(`LISTEN ${INVALIDATION_CHANNEL}`);
    } catch {
      void candidate.end().catch(() => {});
      scheduleReconnect();
      return;
    }
    if (closed) {
      await candidate.end();
      return;
    }
    client = candidate;
    lastHeard = Date.now();
    // Writes made while nobody listened were not heard: start again from the store.
    subscribers.flushAll();
  };

  const scheduleReconnect = (): void => {
    if (!closed && reconnectTimer === undefined) {
      reconnectTimer = setTimeout(() => {
        reconnectTimer = undefined;
        void connect();
      }, RECONNECT_MS);
      reconnectTimer.unref();
    }
  };

  const heartbeat = setInterval(() => {
    const current = client;
    if (current === null) {
      return;
    }
    if (Date.now() - lastHeard > SILENCE_LIMIT_MS) {
      lose(current);
      return;
    }
    if (heartbeatInFlight) {
      return;
    }
    heartbeatInFlight = true;
    current
      .query('SELECT 1')
      .then(() => {
        if (client === current) {
          lastHeard = Date.now();
        }
      })
      .catch(() => lose(current))
      .finally(() => (heartbeatInFlight = false));
  }, HEARTBEAT_MS);
  heartbeat.unref();
  void connect();

  return {
    async publish(topic, key) {
      subscribers.dispatch(topic, key);
      try {
        await publisher.query('SELECT pg_notify($1, $2)', [INVALIDATION_CHANNEL, encode(topic, key)]);
      } catch (error) {
        throw translateDriverError(error);
      }
    },
    subscribe: (topic, handler) => subscribers.add(topic, handler),
    entryLifetimeMs: (preferredMs) => (live() ? preferredMs : Math.min(preferredMs, FALLBACK_LIFETIME_MS)),
    listening: live,
    async close() {
      closed = true;
      clearInterval(heartbeat);
      clearTimeout(reconnectTimer);
      const current = client;
      client = null;
      await current?.end().catch(() => {});
      await publisher.end();
    },
  };
};
