import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { checkpointMessage, genesisHash, recordHash, type AuditChain, type AuditCheckpoint, type AuditRecord } from './audit-record.js';

/** The first broken link: which chain, where, and what is wrong there. */
export interface ChainBreak {
  chainId: string;
  seq: number;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  events: number;
  chains: number;
  checkpoints: number;
  firstBreak: ChainBreak | null;
}

export interface VerifyInput {
  /** Signing keys by id; a checkpoint signed by any other key is forged. */
  publicKeys: ReadonlyMap<string, string>;
  chains: readonly AuditChain[];
  checkpoints: readonly AuditCheckpoint[];
  /** Grouped by chain, in sequence order within each chain. */
  events: AsyncIterable<AuditRecord> | Iterable<AuditRecord>;
  /**
   * Whole chains (false: a time range, whose first event may follow one that is not
   * given, and whose end need not be the chain's head).
   */
  complete: boolean;
}

class Broken extends Error {
  constructor(readonly link: ChainBreak) {
    super(link.message);
  }
}

const fail = (chainId: string, seq: number, message: string): never => {
  throw new Broken({ chainId, seq, message });
};

const signatureHolds = (checkpoint: AuditCheckpoint, keys: ReadonlyMap<string, KeyObject>): boolean => {
  const key = keys.get(checkpoint.keyId);
  try {
    return key !== undefined && verify(null, checkpointMessage(checkpoint), key, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    return false;
  }
};

/**
 * Checks that every event hashes to what it claims, links to the one before it, that no
 * sequence number is missing, that every checkpoint is signed and matches its event,
 * and (for whole chains) that each chain runs from its signed start to its head.
 */
export const verifyChains = async (input: VerifyInput): Promise<VerifyReport> => {
  const keys = new Map([...input.publicKeys].map(([id, pem]) => [id, createPublicKey(pem)]));
  const chains = new Map(input.chains.map((chain) => [chain.chainId, chain]));
  const checkpoints = new Map<string, Map<number, AuditCheckpoint>>();
  const seen = new Map<string, { seq: number; hash: string }>();
  let events = 0;
  try {
    for (const checkpoint of input.checkpoints) {
      if (!signatureHolds(checkpoint, keys)) {
        fail(checkpoint.chainId, checkpoint.seq, 'forged checkpoint: its signature does not verify with the audit signing key');
      }
      if (input.complete && !chains.has(checkpoint.chainId)) {
        fail(checkpoint.chainId, checkpoint.seq, 'a checkpoint names a chain the trail does not have: the chain was removed');
      }
      const byChain = checkpoints.get(checkpoint.chainId) ?? new Map<number, AuditCheckpoint>();
      byChain.set(checkpoint.seq, checkpoint);
      checkpoints.set(checkpoint.chainId, byChain);
    }
    if (input.complete) {
      for (const chain of chains.values()) {
        // A chain may start later than its genesis only where pruning left a signed anchor.
        if (chain.anchorSeq > 0 && checkpoints.get(chain.chainId)?.get(chain.anchorSeq)?.hash !== chain.anchorHash) {
          fail(chain.chainId, chain.anchorSeq, 'the chain starts at an anchor no signed checkpoint vouches for');
        }
      }
    }
    for await (const event of input.events) {
      events += 1;
      const previous = seen.get(event.chainId);
      const chain = chains.get(event.chainId);
      if (previous === undefined) {
        expectStart(event, chain, input.complete);
      } else if (event.seq !== previous.seq + 1) {
        fail(event.chainId, previous.seq + 1, event.seq > previous.seq + 1 ? `events ${previous.seq + 1}–${event.seq - 1} are missing` : `event ${event.seq} is out of order`);
      } else if (event.prevHash !== previous.hash) {
        fail(event.chainId, event.seq, 'the event does not link to the one before it: events were reordered or the previous one was edited');
      }
      if (recordHash(event) !== event.hash) {
        fail(event.chainId, event.seq, 'the event was edited: its content does not hash to its recorded hash');
      }
      const checkpoint = checkpoints.get(event.chainId)?.get(event.seq);
      if (checkpoint && checkpoint.hash !== event.hash) {
        fail(event.chainId, event.seq, 'the event differs from the one its signed checkpoint vouches for');
      }
      seen.set(event.chainId, { seq: event.seq, hash: event.hash });
    }
    if (input.complete) {
      expectHeads(chains, seen, checkpoints);
    }
  } catch (error) {
    if (error instanceof Broken) {
      return { ok: false, events, chains: chains.size, checkpoints: input.checkpoints.length, firstBreak: error.link };
    }
    throw error;
  }
  return { ok: true, events, chains: chains.size, checkpoints: input.checkpoints.length, firstBreak: null };
};

/** A whole chain starts right after its anchor: the genesis, or a signed anchor left by pruning. */
const expectStart = (event: AuditRecord, chain: AuditChain | undefined, complete: boolean): void => {
  if (!complete) {
    if (event.seq === 1 && event.prevHash !== genesisHash(event.chainId)) {
      fail(event.chainId, 1, 'the first event does not start from the chain genesis');
    }
    return;
  }
  if (!chain) {
    return fail(event.chainId, event.seq, 'events of a chain the trail does not list: the chain record was removed');
  }
  const expectedHash = chain.anchorSeq === 0 ? genesisHash(chain.chainId) : chain.anchorHash;
  if (event.seq !== chain.anchorSeq + 1) {
    fail(chain.chainId, chain.anchorSeq + 1, `events ${chain.anchorSeq + 1}–${event.seq - 1} are missing from the start of the chain`);
  }
  if (event.prevHash !== expectedHash) {
    fail(chain.chainId, event.seq, 'the first event does not link to the start of its chain');
  }
};

const expectHeads = (
  chains: ReadonlyMap<string, AuditChain>,
  seen: ReadonlyMap<string, { seq: number; hash: string }>,
  checkpoints: ReadonlyMap<string, Map<number, AuditCheckpoint>>,
): void => {
  for (const chain of chains.values()) {
    const last = seen.get(chain.chainId) ?? { seq: chain.anchorSeq, hash: chain.anchorSeq === 0 ? genesisHash(chain.chainId) : chain.anchorHash };
    const beyond = [...(checkpoints.get(chain.chainId)?.keys() ?? [])].filter((seq) => seq > last.seq);
    if (beyond.length > 0) {
      fail(chain.chainId, last.seq + 1, `the chain stops at ${last.seq} but a signed checkpoint vouches for event ${Math.max(...beyond)}: events were cut off`);
    }
    if (last.seq !== chain.headSeq || last.hash !== chain.headHash) {
      fail(chain.chainId, last.seq + 1, `the chain stops at ${last.seq} but its head is ${chain.headSeq}: the tail was truncated`);
    }
  }
};
