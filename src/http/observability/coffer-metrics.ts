import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { CacheMeter, Observe } from '../../shared/metrics.js';
import { MetricsRegistry, SIZE_BUCKETS, type Counter, type Histogram } from './metrics-registry.js';

/** The store call kinds the storage adapter reports (see storage/sql/timed-driver.ts). */
type StoreObserver = (operation: string, seconds: number, failed: boolean) => void;

/**
 * Coffer's metrics, one registry per server. Modules that own a current value (the
 * scheduler's lag, the webhook backlog) add theirs with `registerGauge`.
 */
export interface CofferMetrics {
  registry: MetricsRegistry;
  requests: Counter;
  requestSeconds: Histogram;
  /** For `openStorage`: times every statement and transaction. */
  observeStore: StoreObserver;
  /** A named cache's hit/miss counter, for the core services that keep one. */
  cacheMeter(cache: string): CacheMeter;
  /** Events per group commit of the audit trail. */
  observeAuditBatch: Observe;
  registerGauge(name: string, help: string, collect: () => number | Promise<number>): void;
}

const processGauges = (registry: MetricsRegistry): void => {
  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();
  registry.registerGauge('process_resident_memory_bytes', 'Resident memory size in bytes.', () => process.memoryUsage().rss);
  registry.registerGauge('nodejs_heap_used_bytes', 'V8 heap in use, in bytes.', () => process.memoryUsage().heapUsed);
  registry.registerGauge('process_start_time_seconds', 'Start time of the process since the epoch, in seconds.', () =>
    Math.round(Date.now() / 1000 - process.uptime()),
  );
  // Since the previous scrape: a busy event loop delays every request.
  registry.registerGauge('nodejs_eventloop_delay_p99_seconds', 'p99 event loop delay since the previous scrape, in seconds.', () => {
    const p99 = loopDelay.percentile(99) / 1e9;
    loopDelay.reset();
    return p99;
  });
};

export const createCofferMetrics = (): CofferMetrics => {
  const registry = new MetricsRegistry();
  const requests = registry.counter('coffer_http_requests_total', 'HTTP requests answered, by API, route pattern, method and status class.', [
    'api',
    'route',
    'method',
    'status',
  ]);
  const requestSeconds = registry.histogram('coffer_http_request_duration_seconds', 'Time to answer an HTTP request, in seconds.', ['api', 'route', 'method']);
  const storeSeconds = registry.histogram('coffer_store_duration_seconds', 'Time of store calls (statements and whole transactions), in seconds.', ['operation']);
  const storeErrors = registry.counter('coffer_store_errors_total', 'Store calls that failed, by operation.', ['operation']);
  const cacheLookups = registry.counter('coffer_cache_lookups_total', 'Cache lookups, by cache and result (hit or miss).', ['cache', 'result']);
  const auditBatch = registry.histogram('coffer_audit_batch_events', 'Audit events made durable per group commit.', [], SIZE_BUCKETS);
  processGauges(registry);
  return {
    registry,
    requests,
    requestSeconds,
    observeStore: (operation, seconds, failed) => {
      storeSeconds.observe({ operation }, seconds);
      if (failed) {
        storeErrors.inc({ operation });
      }
    },
    cacheMeter: (cache) => ({
      hit: () => cacheLookups.inc({ cache, result: 'hit' }),
      miss: () => cacheLookups.inc({ cache, result: 'miss' }),
    }),
    observeAuditBatch: (events) => auditBatch.observe({}, events),
    registerGauge: (name, help, collect) => registry.registerGauge(name, help, collect),
  };
};
