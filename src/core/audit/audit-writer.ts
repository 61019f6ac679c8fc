import { randomUUID } from 'node:crypto';
import { genesisHash, recordHash, type AuditRecord } from '../../shared/audit/audit-record.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { Observe } from '../../shared/metrics.js';
import type { AuditChain, AuditEntry, UsageDelta } from './audit-model.js';
import type { AuditSigner } from './audit-signer.js';
import type { AuditStore } from './audit-store.js';

export interface AuditWriterOptions {
  store: AuditStore;
  signer: AuditSigner;
  clock: Clock;
  logger: Logger;
  /** A signed checkpoint at least every this many events… */
  checkpointEvery: number;
  /** …and at least this often while events arrive. */
  checkpointSeconds: number;
  /** Told the size of each group commit (metrics). */
  observeBatch?: Observe;
}

interface Pending {
  entry: AuditEntry;
  time: number;
  settle(error: AppError | null): void;
}

/** Events one flush writes at most; the rest wait for the next. */
const MAX_BATCH = 512;
const PROBE_MS = 1000;

const ACCESS_ACTION = 'secrets:version:access';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Request data (paths, user agents) can hold anything; an event must be storable on
 * every engine whatever a client sent, or one odd request would fail a whole batch.
 * PostgreSQL refuses NUL and text that is not valid UTF-8.
 */
const storable = (entry: AuditEntry): AuditEntry => {
  const cleaned: Record<string, unknown> = { ...entry };
  for (const [field, value] of Object.entries(entry)) {
    if (typeof value === 'string') {
      cleaned[field] = value.replaceAll(String.fromCharCode(0), '\uFFFD').replace(LONE_SURROGATE, '\uFFFD').slice(0, 1024);
    }
  }
  return cleaned as AuditEntry;
};

/** Successful reads of payloads in a batch, counted per secret, revision and reader. */
const usageOf = (events: readonly AuditRecord[]): UsageDelta[] => {
  const totals = new Map<string, UsageDelta>();
  for (const event of events) {
    if (event.action !== ACCESS_ACTION || event.outcome !== 'success' || event.secretId === null) {
      continue;
    }
    const reader = event.actorAccessKey ?? 'anonymous';
    const revision = event.revision ?? 'unknown';
    const key = `${event.secretId}\u0000${revision}\u0000${reader}`;
    const total = totals.get(key) ?? { secretId: event.secretId, revision, reader, count: 0, lastAccessedAt: event.time };
    total.count += 1;
    total.lastAccessedAt = Math.max(total.lastAccessedAt, event.time);
    totals.set(key, total);
  }
  return [...totals.values()];
};

/**
 * This process's chain, written by group commit: events queue while batches are being
 * made durable, then go together in the next one, so one fsync serves many requests.
 * `record` resolves only once its event is durable; a failed batch rejects every event
 * in it with `unavailable`, and the chain does not move.
 */
export const createAuditWriter = ({ store, signer, clock, logger, checkpointEvery, checkpointSeconds, observeBatch }: AuditWriterOptions) => {
  const chainId = randomUUID();
  const genesis = genesisHash(chainId);
  /** The chain as durably stored, and as it will be once every batch sent so far is. */
  let chain: AuditChain = { chainId, startedAt: clock.nowMicros(), anchorSeq: 0, anchorHash: genesis, headSeq: 0, headHash: genesis };
  let sent = chain;
  let queue: Pending[] = [];
  let inFlight = 0;
  let scheduled = false;
  let lastTime = 0;
  let healthy = true;
  let probe: NodeJS.Timeout | null = null;
  let checkpointed = { seq: 0, at: Date.now() };
  const idle: (() => void)[] = [];

  const checkpoint = async (kind: 'periodic' | 'close'): Promise<void> => {
    if (chain.headSeq === checkpointed.seq) {
      return;
    }
    const signed = signer.sign({ chainId, seq: chain.headSeq, hash: chain.headHash, time: clock.nowMicros(), kind });
    checkpointed = { seq: signed.seq, at: Date.now() };
    try {
      await store.insertCheckpoint(signed);
    } catch (error) {
      logger.error({ err: error }, 'an audit checkpoint could not be stored');
    }
  };

  /**
   * Sends one batch built on the head of the last batch sent. Batches may be in flight
   * together (as many as the store takes); the store refuses a batch that does not
   * follow its stored head, so when one fails, every batch built on it fails too.
   */
  const send = (): void => {
    const batch = queue.slice(0, MAX_BATCH);
    queue = queue.slice(batch.length);
    let seq = sent.headSeq;
    let prevHash = sent.headHash;
    const events = batch.map((item): AuditRecord => {
      seq += 1;
      const unhashed = { ...item.entry, chainId, seq, time: item.time, prevHash };
      prevHash = recordHash(unhashed);
      return { ...unhashed, hash: prevHash };
    });
    const next = { ...sent, headSeq: seq, headHash: prevHash };
    sent = next;
    observeBatch?.(batch.length);
    inFlight += 1;
    store.append({ events, chain: next, usage: usageOf(events) }).then(
      () => {
        chain = next;
        healthy = true;
        batch.forEach((item) => item.settle(null));
        settled();
      },
      (error: unknown) => {
        healthy = false;
        // Later batches were built on this one: start again from what is stored.
        sent = chain;
        logger.error({ err: error, events: batch.length }, 'audit events could not be made durable; refusing requests until the trail is writable');
        const refusal = new AppError('unavailable', 'the audit trail cannot record this request, so it was not served');
        batch.forEach((item) => item.settle(refusal));
        startProbing();
        settled();
      },
    );
  };

  const settled = (): void => {
    inFlight -= 1;
    if (chain.headSeq - checkpointed.seq >= checkpointEvery || (chain.headSeq > checkpointed.seq && Date.now() - checkpointed.at >= checkpointSeconds * 1000)) {
      void checkpoint('periodic');
    }
    if (queue.length > 0) {
      schedule();
    } else if (inFlight === 0) {
      idle.splice(0).forEach((resolve) => resolve());
    }
  };

  const schedule = (): void => {
    if (scheduled || inFlight >= store.appendsInFlight) {
      return;
    }
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      while (queue.length > 0 && inFlight < store.appendsInFlight) {
        send();
      }
    });
  };

  /** While the store refuses writes, try an empty batch (the chain record alone) every second. */
  const startProbing = (): void => {
    probe ??= setInterval(() => {
      store.append({ events: [], chain, usage: [] }).then(
        () => {
          healthy = true;
          if (probe) {
            clearInterval(probe);
            probe = null;
          }
        },
        () => {},
      );
    }, PROBE_MS);
    probe.unref();
  };

  const timer = setInterval(() => void checkpoint('periodic'), checkpointSeconds * 1000);
  timer.unref();

  return {
    chainId,
    healthy: () => healthy,
    /** Events waiting for a batch: a growing number means the store cannot keep up. */
    queued: () => queue.length,
    record(entry: AuditEntry): Promise<void> {
      // Times never go back along a chain, so a time range is a run of sequence numbers.
      lastTime = Math.max(clock.nowMicros(), lastTime);
      const time = lastTime;
      return new Promise((resolve, reject) => {
        queue.push({ entry: storable(entry), time, settle: (error) => (error ? reject(error) : resolve()) });
        schedule();
      });
    },
    /** Writes what is queued, then a closing checkpoint. */
    async close(): Promise<void> {
      clearInterval(timer);
      if (probe) {
        clearInterval(probe);
      }
      while (queue.length > 0 || inFlight > 0 || scheduled) {
        await new Promise<void>((resolve) => (inFlight > 0 ? idle.push(resolve) : setImmediate(resolve)));
      }
      await checkpoint('close');
    },
  };
};

export type AuditWriter = ReturnType<typeof createAuditWriter>;
