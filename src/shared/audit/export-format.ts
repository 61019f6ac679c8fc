import type { AuditChain, AuditCheckpoint, AuditRecord } from './audit-record.js';
import { AUDIT_FORMAT } from './audit-record.js';
import type { VerifyInput } from './verify-chain.js';

/**
 * An export is JSON Lines: one header, then the chains and checkpoints, then the events
 * grouped by chain in sequence order. Everything a verifier needs is in the file, except
 * trust in the public key, which it may pin instead of taking the header's.
 */
export interface ExportHeader {
  type: 'header';
  format: typeof AUDIT_FORMAT;
  /** Whole chains, or the events of a time range. */
  complete: boolean;
  from: string | null;
  to: string | null;
  /** How many event lines follow, for progress bars. */
  totalEvents: number;
  publicKeys: { keyId: string; pem: string }[];
}

export type ExportLine =
  | ExportHeader
  | ({ type: 'chain' } & AuditChain)
  | ({ type: 'checkpoint' } & AuditCheckpoint)
  | ({ type: 'event' } & AuditRecord);

export class ExportFormatError extends Error {}

const lineOf = (text: string, number: number): ExportLine => {
  try {
    const parsed = JSON.parse(text) as { type?: unknown };
    if (parsed.type === 'header' || parsed.type === 'chain' || parsed.type === 'checkpoint' || parsed.type === 'event') {
      return parsed as ExportLine;
    }
  } catch {
    // reported below with the line number
  }
  throw new ExportFormatError(`line ${number} is not an audit export line`);
};

/** Strips the `type` tag an export line carries. */
const untagged = <T extends { type: string }>(line: T): Omit<T, 'type'> => {
  const { type: _type, ...rest } = line;
  return rest;
};

/**
 * Reads an export into a verifier's input. Events stay a stream: a large export is never
 * held in memory. `pinnedKeys` replaces the header's keys when given.
 */
export const readExport = async (lines: AsyncIterable<string>, pinnedKeys?: ReadonlyMap<string, string>): Promise<VerifyInput & { header: ExportHeader }> => {
  const iterator = lines[Symbol.asyncIterator]();
  let number = 0;
  const next = async (): Promise<ExportLine | null> => {
    for (;;) {
      const step = await iterator.next();
      if (step.done) {
        return null;
      }
      number += 1;
      if (step.value.trim() !== '') {
        return lineOf(step.value, number);
      }
    }
  };
  const header = await next();
  if (header?.type !== 'header' || header.format !== AUDIT_FORMAT) {
    throw new ExportFormatError(`not a Coffer audit export: the first line must be a ${AUDIT_FORMAT} header`);
  }
  const chains: AuditChain[] = [];
  const checkpoints: AuditCheckpoint[] = [];
  let pending = await next();
  while (pending && pending.type !== 'event') {
    if (pending.type === 'chain') {
      chains.push(untagged(pending));
    } else if (pending.type === 'checkpoint') {
      checkpoints.push(untagged(pending));
    } else {
      throw new ExportFormatError(`line ${number}: a second header`);
    }
    pending = await next();
  }
  const first = pending;
  async function* events(): AsyncGenerator<AuditRecord> {
    let line: ExportLine | null = first;
    while (line) {
      if (line.type !== 'event') {
        throw new ExportFormatError(`line ${number}: a ${line.type} line among the events`);
      }
      yield untagged(line);
      line = await next();
    }
  }
  const publicKeys = pinnedKeys ?? new Map(header.publicKeys.map((key) => [key.keyId, key.pem]));
  return { header, publicKeys, chains, checkpoints, events: events(), complete: header.complete };
};
