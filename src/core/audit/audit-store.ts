import type { AppendBatch, AuditChain, AuditCheckpoint, AuditQuery, AuditRecord, SecretUsage, StoredSigningKey, UsageTotals } from './audit-model.js';

/** Persistence of the audit trail: events, chains, signed checkpoints, the signing key and usage totals. */
export interface AuditStore {
  /**
   * How many appends may be in flight at once. The store applies them in the order they
   * were made and refuses one that does not continue the chain's stored head.
   */
  readonly appendsInFlight: number;
  listSigningKeys(): Promise<StoredSigningKey[]>;
  /** Keeps the first key stored by any process; a later insert of another key does nothing. */
  insertSigningKey(key: StoredSigningKey): Promise<void>;
  /** Swaps a signing key's sealed private key if it is still `expected` (a root-key migration); returns whether it did. */
  resealSigningKey(keyId: string, expected: Uint8Array, sealedPrivateKey: Uint8Array): Promise<boolean>;

  /** The batch's events, its chain's new head and its usage totals, durable together or not at all. */
  append(batch: AppendBatch): Promise<void>;
  insertCheckpoint(checkpoint: AuditCheckpoint): Promise<void>;

  listChains(): Promise<AuditChain[]>;
  listCheckpoints(): Promise<AuditCheckpoint[]>;
  /** Up to `limit` events of a chain after `afterSeq`, in sequence order, optionally within a time range. */
  scanChain(chainId: string, afterSeq: number, limit: number, range: { from: number | null; to: number | null }): Promise<AuditRecord[]>;
  countEvents(range: { from: number | null; to: number | null }): Promise<number>;
  queryEvents(query: AuditQuery, limit: number): Promise<AuditRecord[]>;

  secretUsage(secretId: string): Promise<SecretUsage>;
  /** Usage totals of these secrets; a secret never read is absent. */
  usageOfSecrets(secretIds: readonly string[]): Promise<Map<string, UsageTotals>>;

  /**
   * Drops a chain's events up to `anchor.seq`, records the anchor as the chain's new
   * start and stores the signed anchor checkpoint, in one step. Returns how many went.
   */
  prune(anchor: AuditCheckpoint): Promise<number>;
}
