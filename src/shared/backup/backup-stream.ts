import { createHash, type Hash } from 'node:crypto';

/**
 * The backup stream: JSON Lines the server sends and the archive holds, the same for
 * both engines. One header (schema version and every table with its columns and row
 * count, parents before children), batches of rows table by table in that order, and a
 * trailer with the row count and the SHA-256 of every line before it.
 */
export const BACKUP_FORMAT = 'coffer-backup/1';

/** A cell as stored: text, integer, bytes or null (BLOB and BYTEA both become bytes). */
export type CellValue = string | number | Uint8Array | null;

export interface BackupTable {
  name: string;
  columns: string[];
  rows: number;
}

export interface BackupHeader {
  kind: 'header';
  format: typeof BACKUP_FORMAT;
  /** The highest schema migration applied to the store's main database. */
  schema_version: number;
  engine: string;
  created_at: string;
  tables: BackupTable[];
}

export interface BackupRows {
  table: string;
  columns: string[];
  rows: CellValue[][];
}

export class BackupFormatError extends Error {}

/** Bytes travel as `{"b64": "…"}`; every other cell is a plain JSON value. */
const encodeCell = (value: CellValue | bigint): unknown => {
  if (value instanceof Uint8Array) {
    return { b64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  }
  return typeof value === 'bigint' ? Number(value) : value;
};

const decodeCell = (value: unknown, where: string): CellValue => {
  if (value === null || typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value))) {
    return value;
  }
  if (typeof value === 'object' && typeof (value as { b64?: unknown }).b64 === 'string') {
    return Buffer.from((value as { b64: string }).b64, 'base64');
  }
  throw new BackupFormatError(`${where}: a cell is neither text, an integer, bytes nor null`);
};

/** Writes the stream's lines and keeps the running hash the trailer ends with. */
export const createBackupWriter = () => {
  const hash: Hash = createHash('sha256');
  let rows = 0;
  const line = (record: unknown): string => {
    const text = `${JSON.stringify(record)}\n`;
    hash.update(text);
    return text;
  };
  return {
    header: (header: Omit<BackupHeader, 'kind' | 'format'>): string => line({ kind: 'header', format: BACKUP_FORMAT, ...header }),
    rows: (table: string, batch: readonly (readonly (CellValue | bigint)[])[]): string => {
      rows += batch.length;
      return line({ kind: 'rows', table, rows: batch.map((row) => row.map(encodeCell)) });
    },
    trailer: (): string => `${JSON.stringify({ kind: 'trailer', rows, sha256: hash.digest('hex') })}\n`,
  };
};

const isTable = (value: unknown): value is BackupTable => {
  const table = value as Partial<BackupTable> | null;
  return (
    typeof table?.name === 'string' &&
    Array.isArray(table.columns) &&
    table.columns.every((column) => typeof column === 'string') &&
    typeof table.rows === 'number'
  );
};

const parseLine = (text: string, number: number): Record<string, unknown> => {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // reported below
  }
  throw new BackupFormatError(`line ${number} of the backup stream is not a JSON object`);
};

/**
 * Reads a backup stream and checks everything it can on the way: the header first,
 * tables in the header's order with exactly their row counts, rows as wide as their
 * columns, the trailer's count and hash, nothing after it. `onHeader` sees the header
 * before any row. Throws BackupFormatError at the first departure.
 */
export async function* readBackupStream(lines: AsyncIterable<string>, onHeader?: (header: BackupHeader) => void): AsyncGenerator<BackupRows> {
  const hash = createHash('sha256');
  let header: BackupHeader | null = null;
  let tableIndex = 0;
  let seenInTable = 0;
  let total = 0;
  let number = 0;
  let ended = false;
  for await (const text of lines) {
    number += 1;
    if (text === '') {
      continue;
    }
    if (ended) {
      throw new BackupFormatError(`line ${number}: data after the trailer`);
    }
    const record = parseLine(text, number);
    if (header === null) {
      if (record.kind !== 'header' || record.format !== BACKUP_FORMAT || typeof record.schema_version !== 'number' || !Array.isArray(record.tables) || !record.tables.every(isTable)) {
        throw new BackupFormatError(`the backup stream does not start with a ${BACKUP_FORMAT} header`);
      }
      header = record as unknown as BackupHeader;
      onHeader?.(header);
    } else if (record.kind === 'rows') {
      let table = header.tables[tableIndex];
      while (table !== undefined && table.name !== record.table && seenInTable === table.rows) {
        tableIndex += 1;
        seenInTable = 0;
        table = header.tables[tableIndex];
      }
      if (table === undefined || table.name !== record.table || !Array.isArray(record.rows)) {
        throw new BackupFormatError(`line ${number}: rows of ${String(record.table)} out of the header's order or count`);
      }
      const where = `line ${number} (${table.name})`;
      const rows = (record.rows as unknown[]).map((row) => {
        if (!Array.isArray(row) || row.length !== table.columns.length) {
          throw new BackupFormatError(`${where}: a row does not have the table's ${table.columns.length} columns`);
        }
        return row.map((cell) => decodeCell(cell, where));
      });
      seenInTable += rows.length;
      total += rows.length;
      if (seenInTable > table.rows) {
        throw new BackupFormatError(`${where}: more rows than the header's ${table.rows}`);
      }
      yield { table: table.name, columns: table.columns, rows };
    } else if (record.kind === 'trailer') {
      const digest = hash.copy().digest('hex');
      const short = header.tables.slice(tableIndex).find((table, offset) => (offset === 0 ? seenInTable : 0) !== table.rows);
      if (short !== undefined) {
        throw new BackupFormatError(`the stream ends before all rows of ${short.name} (the header announced ${short.rows})`);
      }
      if (record.rows !== total || record.sha256 !== digest) {
        throw new BackupFormatError('the trailer does not match the stream (row count or hash differ)');
      }
      ended = true;
      continue;
    } else {
      throw new BackupFormatError(`line ${number}: unknown record kind ${String(record.kind)}`);
    }
    hash.update(`${text}\n`);
  }
  if (!ended) {
    throw new BackupFormatError(header === null ? 'the backup stream is empty' : 'the backup stream ends without its trailer (truncated)');
  }
}

/** Splits a stream of UTF-8 chunks into lines, without splitting a character. */
export async function* linesOf(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest = '';
  for await (const chunk of chunks) {
    rest += decoder.decode(chunk, { stream: true });
    let newline = rest.indexOf('\n');
    while (newline !== -1) {
      yield rest.slice(0, newline);
      rest = rest.slice(newline + 1);
      newline = rest.indexOf('\n');
    }
  }
  rest += decoder.decode();
  if (rest !== '') {
    yield rest;
  }
}
