export type { AppendBatch, AuditChain, AuditCheckpoint, AuditEntry, AuditQuery, AuditRecord, SecretUsage, StoredSigningKey, UsageDelta, UsageTotals } from './audit-model.js';
export type { AuditStore } from './audit-store.js';
export { loadAuditSigner, type AuditSigner } from './audit-signer.js';
export { createAuditWriter, type AuditWriter } from './audit-writer.js';
export { createAuditService, type AuditService, type TimeRange } from './audit-service.js';
