import { createHmac } from 'node:crypto';
import { AUDIT_FORMAT } from '../../shared/audit/audit-record.js';
import type { ExportHeader } from '../../shared/audit/export-format.js';
import { verifyChains, type VerifyReport } from '../../shared/audit/verify-chain.js';
import { formatMicros, MICROS_PER_SECOND, type Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { checkAuthorization, type Actor } from '../iam/index.js';
import type { AuditEntry, AuditQuery, AuditRecord, SecretUsage, UsageTotals } from './audit-model.js';
import type { AuditSigner } from './audit-signer.js';
import type { AuditStore } from './audit-store.js';
import type { AuditWriter } from './audit-writer.js';

export interface AuditServiceDeps {
  store: AuditStore;
  writer: AuditWriter;
  signer: AuditSigner;
  /** Keys the HMAC of credentials that failed to authenticate. */
  tokenHmacKey: Uint8Array;
  clock: Clock;
  logger: Logger;
  /** Events older than this many days are pruned; 0 keeps everything. */
  retentionDays: number;
}

export type TimeRange = { from: number | null; to: number | null };

const SCAN_PAGE = 1000;

/** The audit trail: recording, search, streamed export, verification, usage and retention. */
export const createAuditService = ({ store, writer, signer, tokenHmacKey, clock, logger, retentionDays }: AuditServiceDeps) => {
  const allowRead = (actor: Actor) => checkAuthorization(actor, 'audit:event:read', { organizationId: actor.organizationId });

  /** Whole chains (no range) or a time range, as export lines, read page by page. */
  async function* exportLines(range: TimeRange): AsyncGenerator<string> {
    const chains = await store.listChains();
    const header: ExportHeader = {
      type: 'header',
      format: AUDIT_FORMAT,
      complete: range.from === null && range.to === null,
      from: range.from === null ? null : formatMicros(range.from),
      to: range.to === null ? null : formatMicros(range.to),
      totalEvents: await store.countEvents(range),
      publicKeys: [...signer.publicKeys].map(([keyId, pem]) => ({ keyId, pem })),
    };
    yield `${JSON.stringify(header)}\n`;
    for (const chain of chains) {
      yield `${JSON.stringify({ type: 'chain', ...chain })}\n`;
    }
    for (const checkpoint of await store.listCheckpoints()) {
      yield `${JSON.stringify({ type: 'checkpoint', ...checkpoint })}\n`;
    }
    for (const chain of chains) {
      let after = 0;
      for (;;) {
        const page = await store.scanChain(chain.chainId, after, SCAN_PAGE, range);
        for (const event of page) {
          yield `${JSON.stringify({ type: 'event', ...event })}\n`;
        }
        const last = page.at(-1);
        if (!last || page.length < SCAN_PAGE) {
          break;
        }
        after = last.seq;
      }
    }
  }

  async function* eventsOf(chains: readonly { chainId: string }[]): AsyncGenerator<AuditRecord> {
    for (const chain of chains) {
      let after = 0;
      for (;;) {
        const page = await store.scanChain(chain.chainId, after, SCAN_PAGE, { from: null, to: null });
        yield* page;
        const last = page.at(-1);
        if (!last || page.length < SCAN_PAGE) {
          break;
        }
        after = last.seq;
      }
    }
  }

  return {
    record: (entry: AuditEntry): Promise<void> => writer.record(entry),
    /** False while the store refuses audit writes: requests are then refused before they run. */
    healthy: (): boolean => writer.healthy(),
    /** Correlates repeated use of one bad credential without keeping it. */
    tokenFingerprint: (token: string): string => createHmac('sha256', tokenHmacKey).update(token).digest('hex').slice(0, 32),

    async search(actor: Actor, query: AuditQuery, limit: number): Promise<AuditRecord[]> {
      allowRead(actor);
      return store.queryEvents(query, limit);
    },
    exportLines(actor: Actor, range: TimeRange): AsyncGenerator<string> {
      allowRead(actor);
      return exportLines(range);
    },
    async verify(actor: Actor): Promise<VerifyReport> {
      allowRead(actor);
      const chains = await store.listChains();
      return verifyChains({ publicKeys: signer.publicKeys, chains, checkpoints: await store.listCheckpoints(), events: eventsOf(chains), complete: true });
    },
    publicKeys(actor: Actor): { keyId: string; pem: string }[] {
      allowRead(actor);
      return [...signer.publicKeys].map(([keyId, pem]) => ({ keyId, pem }));
    },
    async secretUsage(actor: Actor, secretId: string): Promise<SecretUsage> {
      allowRead(actor);
      return store.secretUsage(secretId);
    },
    async usageOfSecrets(actor: Actor, secretIds: readonly string[]): Promise<Map<string, UsageTotals>> {
      allowRead(actor);
      return store.usageOfSecrets(secretIds);
    },

    /**
     * Drops events older than the retention period. Each chain's new start is anchored by
     * a signed checkpoint, so the rest still verifies from there.
     */
    async prune(): Promise<number> {
      if (retentionDays <= 0) {
        return 0;
      }
      const cutoff = clock.nowMicros() - retentionDays * 86_400 * MICROS_PER_SECOND;
      let pruned = 0;
      for (const chain of await store.listChains()) {
        const old = await store.scanChain(chain.chainId, chain.anchorSeq, 1, { from: null, to: cutoff });
        if (old.length === 0) {
          continue;
        }
        const last = await lastBefore(chain.chainId, chain.anchorSeq, cutoff);
        if (last) {
          pruned += await store.prune(signer.sign({ chainId: chain.chainId, seq: last.seq, hash: last.hash, time: clock.nowMicros(), kind: 'anchor' }));
        }
      }
      if (pruned > 0) {
        logger.info({ pruned }, 'audit events past retention pruned');
      }
      return pruned;
    },
  };

  /** The last event of a chain older than `cutoff`, read forward page by page. */
  async function lastBefore(chainId: string, afterSeq: number, cutoff: number): Promise<AuditRecord | null> {
    let last: AuditRecord | null = null;
    let after = afterSeq;
    for (;;) {
      const page = await store.scanChain(chainId, after, SCAN_PAGE, { from: null, to: cutoff });
      last = page.at(-1) ?? last;
      if (page.length < SCAN_PAGE || !last) {
        return last;
      }
      after = last.seq;
    }
  }
};

export type AuditService = ReturnType<typeof createAuditService>;
