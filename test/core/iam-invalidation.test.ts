import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLocalInvalidation, EVERY_ENTRY } from '../../src/core/cache/index.js';
import { withIamInvalidation, type IamStore } from '../../src/core/iam/index.js';
import { SqlIamStore } from '../../src/storage/sql/iam-repository.js';

/** Every method of the store's class and its parents. */
const methodsOf = (store: object): string[] => {
  const names = new Set<string>();
  for (let proto: object | null = Object.getPrototypeOf(store) as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name !== 'constructor') {
        names.add(name);
      }
    }
  }
  return [...names];
};

const isRead = (name: string): boolean => /^(get|list|find|policiesOf)/.test(name);
/** Private helpers of the SQL classes, called by their port methods, never by the core. */
const HELPERS = new Set(['writeMembers']);

describe('IAM writes and the auth cache', () => {
  it('publishes an invalidation for every write method the SQL store has, and for none of its reads', () => {
    // No query runs: only which methods the wrapper replaced is looked at.
    const store = Object.create(SqlIamStore.prototype) as IamStore;
    const wrapped = withIamInvalidation(store, createLocalInvalidation()) as unknown as Record<string, unknown>;
    const original = store as unknown as Record<string, unknown>;
    const methods = methodsOf(store).filter((name) => !HELPERS.has(name));
    assert.ok(methods.includes('deleteApiKey') && methods.includes('updateGroup'), methods.join(', '));
    const unannounced = methods.filter((name) => !isRead(name) && wrapped[name] === original[name]);
    assert.deepEqual(unannounced, [], 'a write that can change a key or its grants must be listed in core/iam/iam-invalidation.ts');
    const wrappedReads = methods.filter((name) => isRead(name) && wrapped[name] !== original[name]);
    assert.deepEqual(wrappedReads, []);
  });

  it('announces a write once it has returned, and also when it failed', async () => {
    const heard: string[] = [];
    const invalidation = createLocalInvalidation();
    invalidation.subscribe('iam', (key) => heard.push(key));
    const store = Object.create(SqlIamStore.prototype) as IamStore;
    store.deleteApiKey = () => Promise.resolve();
    store.deletePolicy = () => Promise.reject(new Error('lost connection at commit'));
    const wrapped = withIamInvalidation(store, invalidation);
    await wrapped.deleteApiKey('SCWXXXXXXXXXXXXXXXXX');
    assert.deepEqual(heard, [EVERY_ENTRY]);
    await assert.rejects(wrapped.deletePolicy('policy'), /lost connection/);
    assert.deepEqual(heard, [EVERY_ENTRY, EVERY_ENTRY], 'a commit whose answer was lost may have happened');
  });
});
