import { createHash } from 'node:crypto';

/**
 * One audit event as stored and exported. Every field is part of the hash, so editing
 * any of them, or moving the event to another place in its chain, breaks the chain.
 */
export interface AuditRecord {
  chainId: string;
  seq: number;
  /** Epoch microseconds; never decreases along a chain. */
  time: number;
  requestId: string;
  /** Which wire API: scaleway, vault, ovh, iam, account, coffer, other. */
  api: string;
  /** `METHOD /route/:pattern`, the same for every call of a route. */
  operation: string;
  /** The IAM action the request asked for last, when it got that far. */
  action: string | null;
  actorAccessKey: string | null;
  actorRole: string | null;
  actorApplicationId: string | null;
  actorUserId: string | null;
  /** HMAC of a credential that failed to authenticate: correlates attempts, reveals nothing. */
  actorTokenHmac: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  organizationId: string | null;
  projectId: string | null;
  region: string | null;
  secretId: string | null;
  revision: string | null;
  path: string | null;
  outcome: 'success' | 'denied' | 'failed' | 'error';
  status: number;
  errorType: string | null;
  prevHash: string;
  hash: string;
}

/** A signed statement that a chain held `hash` at `seq`: periodic, at a pruned start (`anchor`), or at shutdown. */
export interface AuditCheckpoint {
  chainId: string;
  seq: number;
  hash: string;
  time: number;
  kind: 'periodic' | 'anchor' | 'close';
  keyId: string;
  /** Ed25519 over `checkpointMessage`, base64. */
  signature: string;
}

/** A chain's bounds as the store keeps them: where it starts (after pruning) and its head. */
export interface AuditChain {
  chainId: string;
  startedAt: number;
  anchorSeq: number;
  anchorHash: string;
  headSeq: number;
  headHash: string;
}

export const AUDIT_FORMAT = 'coffer-audit-v1';

/** Field order of the canonical encoding; changing it breaks every stored chain. */
const HASHED_FIELDS = [
  'chainId',
  'seq',
  'time',
  'requestId',
  'api',
  'operation',
  'action',
  'actorAccessKey',
  'actorRole',
  'actorApplicationId',
  'actorUserId',
  'actorTokenHmac',
  'sourceIp',
  'userAgent',
  'organizationId',
  'projectId',
  'region',
  'secretId',
  'revision',
  'path',
  'outcome',
  'status',
  'errorType',
  'prevHash',
] as const satisfies readonly (keyof AuditRecord)[];

export type UnhashedRecord = Omit<AuditRecord, 'hash'>;

/** A JSON array in a fixed order: the same bytes on every engine, process and version. */
export const canonicalEncoding = (record: UnhashedRecord): string => JSON.stringify([AUDIT_FORMAT, ...HASHED_FIELDS.map((field) => record[field])]);

export const recordHash = (record: UnhashedRecord): string => createHash('sha256').update(canonicalEncoding(record)).digest('hex');

/** The hash a chain's first event points back to. */
export const genesisHash = (chainId: string): string => createHash('sha256').update(`${AUDIT_FORMAT}/genesis\n${chainId}`).digest('hex');

export const checkpointMessage = (checkpoint: Omit<AuditCheckpoint, 'signature' | 'keyId'>): Buffer =>
  Buffer.from([`${AUDIT_FORMAT}/checkpoint`, checkpoint.chainId, String(checkpoint.seq), checkpoint.hash, String(checkpoint.time), checkpoint.kind].join('\n'));
