import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../shared/errors.js';
import { SqlAuditWrites } from '../sql/audit-writes.js';
import { openSqliteDriver } from './sqlite-driver.js';
import type { AuditWorkerReply, AuditWorkerRequest } from './audit-worker-client.js';

/**
 * The audit file's writer thread. better-sqlite3 is synchronous, so a commit's fsync
 * would stop the server's event loop; here it stops only this thread.
 */
const { dataDir, fileName } = workerData as { dataDir: string; fileName: string };
const writes = new SqlAuditWrites(openSqliteDriver(dataDir, fileName));

const perform = (request: AuditWorkerRequest): Promise<unknown> => {
  switch (request.method) {
    case 'append':
      return writes.append(request.batch);
    case 'insertCheckpoint':
      return writes.insertCheckpoint(request.checkpoint);
    case 'insertSigningKey':
      return writes.insertSigningKey(request.key);
    case 'prune':
      return writes.prune(request.anchor);
  }
};

parentPort?.on('message', (request: AuditWorkerRequest) => {
  perform(request).then(
    (result) => parentPort?.postMessage({ id: request.id, result } satisfies AuditWorkerReply),
    (error: unknown) =>
      parentPort?.postMessage({
        id: request.id,
        error: { code: error instanceof AppError ? error.code : 'unavailable', message: error instanceof Error ? error.message : String(error) },
      } satisfies AuditWorkerReply),
  );
});
