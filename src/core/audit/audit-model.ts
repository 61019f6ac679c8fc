import type { AuditCheckpoint, AuditChain, AuditRecord } from '../../shared/audit/audit-record.js';

export type { AuditCheckpoint, AuditChain, AuditRecord };

/** What an adapter knows of a request once it is answered; the trail adds time, place in the chain and hashes. */
export type AuditEntry = Omit<AuditRecord, 'chainId' | 'seq' | 'time' | 'prevHash' | 'hash'>;

/** The Ed25519 key that signs checkpoints; its private half is kept sealed under the root key. */
export interface StoredSigningKey {
  keyId: string;
  /** SPKI PEM. */
  publicKey: string;
  /** PKCS#8 DER, AES-256-GCM-sealed under the root key. */
  sealedPrivateKey: Uint8Array;
  createdAt: number;
}

/** Reads of one secret counted in one batch, folded into its usage totals with the batch. */
export interface UsageDelta {
  secretId: string;
  revision: string;
  reader: string;
  count: number;
  lastAccessedAt: number;
}

export interface AppendBatch {
  events: AuditRecord[];
  /** The chain's record after the batch: its head moves to the batch's last event. */
  chain: AuditChain;
  usage: UsageDelta[];
}

export interface AuditQuery {
  from: number | null;
  to: number | null;
  actor: string | null;
  secretId: string | null;
  action: string | null;
  outcome: AuditRecord['outcome'] | null;
  requestId: string | null;
  /** Events strictly after this position, in (time, chain, seq) order. */
  after: { time: number; chainId: string; seq: number } | null;
}

export interface UsageTotals {
  accessCount: number;
  lastAccessedAt: number | null;
}

export interface SecretUsage extends UsageTotals {
  versions: (UsageTotals & { revision: string })[];
  readers: (UsageTotals & { reader: string })[];
}
