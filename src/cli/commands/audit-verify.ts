import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createPublicKey, createHash } from 'node:crypto';
import { ExportFormatError, readExport } from '../../shared/audit/export-format.js';
import { verifyChains, type VerifyReport } from '../../shared/audit/verify-chain.js';
import { CliError, EXIT } from '../errors.js';
import { createProgress } from '../progress.js';

/** Lines of a saved export, or of the server's export stream as it arrives. */
export const linesOfFile = (file: string): AsyncIterable<string> => createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });

export const linesOfResponse = (response: Response): AsyncIterable<string> => {
  if (!response.body) {
    throw new CliError('the server sent an empty export', EXIT.failure);
  }
  return createInterface({ input: Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>), crlfDelay: Infinity });
};

/**
 * A public key given by the operator, trusted instead of the one the export carries:
 * whoever could rewrite the trail could rewrite the key beside it.
 */
const pinnedKey = (file: string): Map<string, string> => {
  const pem = createPublicKey(readFileSync(file, 'utf8')).export({ type: 'spki', format: 'pem' }).toString();
  return new Map([[createHash('sha256').update(pem).digest('hex').slice(0, 16), pem]]);
};

/** Verifies an export stream, with a progress bar on stderr, and never holds the events in memory. */
export const verifyExport = async (lines: AsyncIterable<string>, publicKeyFile: string | undefined): Promise<VerifyReport> => {
  try {
    const input = await readExport(lines, publicKeyFile ? pinnedKey(publicKeyFile) : undefined);
    const progress = createProgress('verifying');
    let done = 0;
    const total = input.header.totalEvents;
    async function* counted() {
      for await (const event of input.events) {
        done += 1;
        if (done % 500 === 0 || done === total) {
          progress.update(done, total);
        }
        yield event;
      }
    }
    const report = await verifyChains({ ...input, events: counted() });
    progress.finish();
    return report;
  } catch (error) {
    if (error instanceof ExportFormatError) {
      throw new CliError(error.message, EXIT.failure);
    }
    throw error;
  }
};
