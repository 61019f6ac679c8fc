import { EVERY_ENTRY, publishingStore, type CacheInvalidation } from '../cache/index.js';
import type { IamStore } from './iam-store.js';

/**
 * Every IAM write can change which keys exist or what they may do (a policy, a group's
 * members, a user's removal), so each one makes the whole auth cache stale on every process.
 */
const IAM_WRITES = [
  'bootstrap',
  'insertOrganization',
  'insertProject',
  'updateProject',
  'deleteProject',
  'insertApplication',
  'updateApplication',
  'deleteApplication',
  'insertPolicy',
  'updatePolicy',
  'deletePolicy',
  'insertApiKey',
  'updateApiKey',
  'deleteApiKey',
  'insertUser',
  'updateUser',
  'deleteUser',
  'insertGroup',
  'updateGroup',
  'deleteGroup',
] as const satisfies readonly (keyof IamStore)[];

export const withIamInvalidation = (store: IamStore, invalidation: CacheInvalidation): IamStore =>
  publishingStore(store, invalidation, 'iam', IAM_WRITES, () => EVERY_ENTRY);
