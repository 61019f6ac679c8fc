import { performance } from 'node:perf_hooks';
import type { SqlDriver, SqlExecutor, SqlValue } from './sql-driver.js';

/** What a store call was, from a closed set: a metric label never carries SQL text. */
export type StoreOperation = 'select' | 'insert' | 'update' | 'delete' | 'other' | 'transaction';

/** Receives each store call's duration in seconds and whether it failed. */
export type StoreObserver = (operation: StoreOperation, seconds: number, failed: boolean) => void;

const operationOf = (sql: string): StoreOperation => {
  const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase();
  return verb === 'select' || verb === 'insert' || verb === 'update' || verb === 'delete' ? verb : 'other';
};

const timed = async <T>(observe: StoreObserver, operation: StoreOperation, call: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  try {
    const result = await call();
    observe(operation, (performance.now() - started) / 1000, false);
    return result;
  } catch (error) {
    observe(operation, (performance.now() - started) / 1000, true);
    throw error;
  }
};

/**
 * The driver every repository shares, timing each statement and each whole transaction
 * (statements inside one are its time, not counted again): the store's latency as the
 * core sees it, pool waits and locks included.
 */
export const timedDriver = (driver: SqlDriver, observe: StoreObserver): SqlDriver => ({
  dialect: driver.dialect,
  all: <T>(sql: string, params?: readonly SqlValue[]) => timed(observe, operationOf(sql), () => driver.all<T>(sql, params)),
  get: <T>(sql: string, params?: readonly SqlValue[]) => timed(observe, operationOf(sql), () => driver.get<T>(sql, params)),
  run: (sql: string, params?: readonly SqlValue[]) => timed(observe, operationOf(sql), () => driver.run(sql, params)),
  transaction: <T>(fn: (tx: SqlExecutor) => Promise<T>) => timed(observe, 'transaction', () => driver.transaction(fn)),
  close: () => driver.close(),
});
