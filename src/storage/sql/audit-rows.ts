import type { AuditCheckpoint, AuditChain, AuditRecord, StoredSigningKey } from '../../core/audit/index.js';
import { asBuffer, type SqlValue } from './sql-driver.js';

export const EVENT_COLUMNS =
  'chain_id, seq, recorded_at, request_id, api, operation, action, actor_access_key, actor_role, actor_application_id, actor_user_id, ' +
  'actor_token_hmac, source_ip, user_agent, organization_id, project_id, region, secret_id, revision, path, outcome, status, error_type, prev_hash, hash';

export interface EventRow {
  chain_id: string;
  seq: number;
  recorded_at: number;
  request_id: string;
  api: string;
  operation: string;
  action: string | null;
  actor_access_key: string | null;
  actor_role: string | null;
  actor_application_id: string | null;
  actor_user_id: string | null;
  actor_token_hmac: string | null;
  source_ip: string | null;
  user_agent: string | null;
  organization_id: string | null;
  project_id: string | null;
  region: string | null;
  secret_id: string | null;
  revision: string | null;
  path: string | null;
  outcome: string;
  status: number;
  error_type: string | null;
  prev_hash: string;
  hash: string;
}

/** Values in `EVENT_COLUMNS` order. */
export const eventValues = (event: AuditRecord): SqlValue[] => [
  event.chainId,
  event.seq,
  event.time,
  event.requestId,
  event.api,
  event.operation,
  event.action,
  event.actorAccessKey,
  event.actorRole,
  event.actorApplicationId,
  event.actorUserId,
  event.actorTokenHmac,
  event.sourceIp,
  event.userAgent,
  event.organizationId,
  event.projectId,
  event.region,
  event.secretId,
  event.revision,
  event.path,
  event.outcome,
  event.status,
  event.errorType,
  event.prevHash,
  event.hash,
];

/**
 * Rows come back as stored: an edited row yields an event whose hash no longer holds,
 * which is what the verifier looks for, so nothing is validated here.
 */
export const eventFromRow = (row: EventRow): AuditRecord => ({
  chainId: row.chain_id,
  seq: Number(row.seq),
  time: Number(row.recorded_at),
  requestId: row.request_id,
  api: row.api,
  operation: row.operation,
  action: row.action,
  actorAccessKey: row.actor_access_key,
  actorRole: row.actor_role,
  actorApplicationId: row.actor_application_id,
  actorUserId: row.actor_user_id,
  actorTokenHmac: row.actor_token_hmac,
  sourceIp: row.source_ip,
  userAgent: row.user_agent,
  organizationId: row.organization_id,
  projectId: row.project_id,
  region: row.region,
  secretId: row.secret_id,
  revision: row.revision,
  path: row.path,
  outcome: row.outcome as AuditRecord['outcome'],
  status: Number(row.status),
  errorType: row.error_type,
  prevHash: row.prev_hash,
  hash: row.hash,
});

export const CHAIN_COLUMNS = 'chain_id, started_at, anchor_seq, anchor_hash, head_seq, head_hash';

export interface ChainRow {
  chain_id: string;
  started_at: number;
  anchor_seq: number;
  anchor_hash: string;
  head_seq: number;
  head_hash: string;
}

export const chainValues = (chain: AuditChain): SqlValue[] => [chain.chainId, chain.startedAt, chain.anchorSeq, chain.anchorHash, chain.headSeq, chain.headHash];

export const chainFromRow = (row: ChainRow): AuditChain => ({
  chainId: row.chain_id,
  startedAt: Number(row.started_at),
  anchorSeq: Number(row.anchor_seq),
  anchorHash: row.anchor_hash,
  headSeq: Number(row.head_seq),
  headHash: row.head_hash,
});

export const CHECKPOINT_COLUMNS = 'chain_id, seq, hash, signed_at, kind, key_id, signature';

export interface CheckpointRow {
  chain_id: string;
  seq: number;
  hash: string;
  signed_at: number;
  kind: string;
  key_id: string;
  signature: string;
}

export const checkpointValues = (checkpoint: AuditCheckpoint): SqlValue[] => [
  checkpoint.chainId,
  checkpoint.seq,
  checkpoint.hash,
  checkpoint.time,
  checkpoint.kind,
  checkpoint.keyId,
  checkpoint.signature,
];

export const checkpointFromRow = (row: CheckpointRow): AuditCheckpoint => ({
  chainId: row.chain_id,
  seq: Number(row.seq),
  hash: row.hash,
  time: Number(row.signed_at),
  kind: row.kind as AuditCheckpoint['kind'],
  keyId: row.key_id,
  signature: row.signature,
});

export interface SigningKeyRow {
  key_id: string;
  public_key: string;
  sealed_private_key: Uint8Array;
  created_at: number;
}

export const signingKeyFromRow = (row: SigningKeyRow): StoredSigningKey => ({
  keyId: row.key_id,
  publicKey: row.public_key,
  sealedPrivateKey: asBuffer(row.sealed_private_key),
  createdAt: Number(row.created_at),
});
