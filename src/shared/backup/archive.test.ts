import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createArchiveFile } from './archive-file.js';
import { ArchiveError, openArchive, type ArchiveOpenKey } from './archive.js';
import { BackupFormatError, createBackupWriter, linesOf, readBackupStream } from './backup-stream.js';
import { generateRecipientKeyPair } from './recipient-keys.js';

const dir = mkdtempSync(join(tmpdir(), 'coffer-archive-'));
const passphrase = 'unit test passphrase';

/** A backup stream of two tables, one row holding bytes, large enough for several chunks. */
const streamLines = (): string[] => {
  const writer = createBackupWriter();
  const rows = Array.from({ length: 400 }, (_, index) => [`id-${index}`, index, randomBytes(300)]);
  return [
    writer.header({ schema_version: 8, engine: 'sqlite', created_at: 'now', tables: [{ name: 'parents', columns: ['id'], rows: 1 }, { name: 'children', columns: ['id', 'n', 'blob'], rows: rows.length }] }),
    writer.rows('parents', [['p']]),
    writer.rows('children', rows.slice(0, 200)),
    writer.rows('children', rows.slice(200)),
    writer.trailer(),
  ];
};

const writeArchive = async (name: string, lines: string[], key: Parameters<typeof createArchiveFile>[1] = { kind: 'passphrase', passphrase }): Promise<string> => {
  const file = join(dir, name);
  const archive = await createArchiveFile(file, key);
  for (const line of lines) {
    await archive.write(line);
  }
  await archive.finish();
  return file;
};

const readAll = async (file: string, key: ArchiveOpenKey = { kind: 'passphrase', passphrase }) => {
  let rows = 0;
  for await (const batch of readBackupStream(linesOf(openArchive(file, key)))) {
    rows += batch.rows.length;
  }
  return rows;
};

/** Offsets of each chunk (its length prefix) after the preamble. */
const chunkOffsets = (bytes: Buffer): number[] => {
  const offsets: number[] = [];
  for (let offset = 12 + bytes.readUInt32BE(8) + 32; offset < bytes.length; offset += 4 + bytes.readUInt32BE(offset)) {
    offsets.push(offset);
  }
  return offsets;
};

describe('backup archive format', () => {
  it('round-trips a stream sealed with a passphrase and one sealed to a recipient, bytes included', async () => {
    assert.equal(await readAll(await writeArchive('plain.bak', streamLines())), 401);
    const pair = generateRecipientKeyPair();
    const sealed = await writeArchive('recipient.bak', streamLines(), { kind: 'recipient', publicKey: pair.publicKey });
    assert.equal(await readAll(sealed, { kind: 'identity', secretKey: pair.secretKey }), 401);
  });

  it('refuses chunks swapped, a chunk repeated, and a chunk from another archive', async () => {
    const bytes = readFileSync(await writeArchive('order.bak', streamLines()));
    const offsets = chunkOffsets(bytes);
    assert.ok(offsets.length >= 3, `several chunks (${offsets.length})`);
    const [first = 0, second = 0, third = 0] = offsets;
    const chunk = (from: number, to: number) => bytes.subarray(from, to);
    const swapped = Buffer.concat([bytes.subarray(0, first), chunk(second, third), chunk(first, second), bytes.subarray(third)]);
    writeFileSync(join(dir, 'swapped.bak'), swapped);
    await assert.rejects(readAll(join(dir, 'swapped.bak')), (error: unknown) => error instanceof ArchiveError && /chunk 0 fails authentication/.test(error.message));
    const repeated = Buffer.concat([bytes.subarray(0, second), chunk(first, second), bytes.subarray(second)]);
    writeFileSync(join(dir, 'repeated.bak'), repeated);
    await assert.rejects(readAll(join(dir, 'repeated.bak')), ArchiveError);
    const other = readFileSync(await writeArchive('other.bak', streamLines()));
    const [otherFirst = 0, otherSecond = 0] = chunkOffsets(other);
    const mixed = Buffer.concat([bytes.subarray(0, first), other.subarray(otherFirst, otherSecond), bytes.subarray(second)]);
    writeFileSync(join(dir, 'mixed.bak'), mixed);
    await assert.rejects(readAll(join(dir, 'mixed.bak')), /fails authentication/);
  });

  it('refuses a stream whose rows do not match its header, or that lacks its trailer', async () => {
    const lines = streamLines();
    const withoutTrailer = await writeArchive('no-trailer.bak', lines.slice(0, -1));
    await assert.rejects(readAll(withoutTrailer), (error: unknown) => error instanceof BackupFormatError && /truncated/.test(error.message));
    const dropped = await writeArchive('dropped.bak', [...lines.slice(0, 2), ...lines.slice(3)]);
    await assert.rejects(readAll(dropped), BackupFormatError);
  });
});
