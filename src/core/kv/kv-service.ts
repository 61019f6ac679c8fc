import { AppError } from '../../shared/errors.js';
import type { KvService } from './kv-model.js';

/** Placeholder while the service is written; every call fails as unavailable. */
export const createKvService = (_deps: unknown): KvService =>
  new Proxy({} as KvService, {
    get: () => () => Promise.reject(new AppError('unavailable', 'the key/value service is not built yet')),
  });
