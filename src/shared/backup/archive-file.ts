import { open, rename, rm } from 'node:fs/promises';
import { CHUNK_BYTES, createSealer, type ArchiveSealKey } from './archive.js';

/**
 * Writes an archive beside its final name (`<file>.partial`, mode 0600) and renames it
 * into place only once its last chunk is written and flushed to disk: an interrupted
 * backup never leaves a file that looks complete.
 */
export const createArchiveFile = async (file: string, key: ArchiveSealKey) => {
  const partial = `${file}.partial`;
  const handle = await open(partial, 'w', 0o600);
  const sealer = createSealer(key);
  await handle.write(sealer.preamble);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let written = sealer.preamble.length;

  const flushFull = async (): Promise<void> => {
    while (pendingBytes >= CHUNK_BYTES) {
      const all = Buffer.concat(pending);
      const chunk = sealer.seal(all.subarray(0, CHUNK_BYTES), false);
      await handle.write(chunk);
      written += chunk.length;
      pending = [all.subarray(CHUNK_BYTES)];
      pendingBytes = all.length - CHUNK_BYTES;
    }
  };

  return {
    async write(text: string): Promise<void> {
      const bytes = Buffer.from(text, 'utf8');
      pending.push(bytes);
      pendingBytes += bytes.length;
      await flushFull();
    },
    /** Seals what is left as the last chunk, syncs, and moves the file into place; returns its size. */
    async finish(): Promise<number> {
      const last = sealer.seal(Buffer.concat(pending), true);
      await handle.write(last);
      written += last.length;
      await handle.sync();
      await handle.close();
      await rename(partial, file);
      return written;
    },
    async abort(): Promise<void> {
      await handle.close().catch(() => {});
      await rm(partial, { force: true });
    },
  };
};
