import { Worker } from 'node:worker_threads';
import type { AppendBatch, AuditCheckpoint, StoredSigningKey } from '../../core/audit/index.js';
import { AppError, type ErrorCode } from '../../shared/errors.js';
import type { AuditWrites } from '../sql/audit-writes.js';

export type AuditWorkerRequest = { id: number } & (
  | { method: 'append'; batch: AppendBatch }
  | { method: 'insertCheckpoint'; checkpoint: AuditCheckpoint }
  | { method: 'insertSigningKey'; key: StoredSigningKey }
  | { method: 'prune'; anchor: AuditCheckpoint }
);

export interface AuditWorkerReply {
  id: number;
  result?: unknown;
  error?: { code: ErrorCode; message: string };
}

type Call = AuditWorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * Built, the worker is plain .js. Run from sources it is .ts, and Node 20 does not give
 * worker threads the loader of the main one, so a tiny bootstrap registers tsx first.
 */
const spawnWorker = (dataDir: string, fileName: string): Worker => {
  const workerData = { dataDir, fileName };
  // The worker only turns small batches into rows, but V8 would let its young generation
  // grow like the main thread's (up to 16 MiB per semi-space): resident memory for nothing.
  const resourceLimits = { maxYoungGenerationSizeMb: 6 };
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./audit-worker.js', import.meta.url), { workerData, resourceLimits });
  }
  const loader = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL('./audit-worker.ts', import.meta.url).href);
  return new Worker(`import(${loader}).then((tsx) => { tsx.register(); return import(${entry}); })`, { eval: true, workerData, resourceLimits });
};

/** AuditWrites carried out by the audit worker thread; if the thread dies, every write fails (and requests fail closed). */
export const startAuditWorker = (dataDir: string, fileName: string): AuditWrites & { close(): Promise<void> } => {
  const worker = spawnWorker(dataDir, fileName);
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  let broken: AppError | null = null;

  worker.on('message', (reply: AuditWorkerReply) => {
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.error) {
      waiting?.reject(new AppError(reply.error.code === 'internal' ? 'unavailable' : reply.error.code, reply.error.message));
    } else {
      waiting?.resolve(reply.result);
    }
  });
  const failAll = (error: AppError) => {
    broken = error;
    for (const waiting of pending.values()) {
      waiting.reject(error);
    }
    pending.clear();
  };
  worker.on('error', (error) => failAll(new AppError('unavailable', `the audit writer stopped: ${error.message}`)));
  worker.on('exit', () => failAll(broken ?? new AppError('unavailable', 'the audit writer has stopped')));

  const call = <T = unknown>(request: Call): Promise<T> => {
    if (broken) {
      return Promise.reject(broken);
    }
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: (value) => resolve(value as T), reject });
      worker.postMessage({ id, ...request });
    });
  };

  return {
    append: async (batch) => {
      await call({ method: 'append', batch });
    },
    insertCheckpoint: async (checkpoint) => {
      await call({ method: 'insertCheckpoint', checkpoint });
    },
    insertSigningKey: async (key) => {
      await call({ method: 'insertSigningKey', key });
    },
    prune: (anchor) => call<number>({ method: 'prune', anchor }),
    async close() {
      await worker.terminate();
    },
  };
};
