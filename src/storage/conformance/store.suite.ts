import { after, before, describe } from 'node:test';
import type { Storage } from '../index.js';
import type { OpenedStorage } from './fixtures.js';
import { auditCases } from './audit.cases.js';
import { eventCases } from './event.cases.js';
import { eventAtomicityCases } from './event-atomicity.cases.js';
import { keyCases } from './key.cases.js';
import { kmsCases } from './kms.cases.js';
import { kvCases } from './kv.cases.js';
import { iamCases } from './iam.cases.js';
import { iamPrincipalCases } from './iam-principals.cases.js';
import { iamUserCases } from './iam-users.cases.js';
import { listingCases } from './listing.cases.js';
import { maintenanceCases } from './maintenance.cases.js';
import { deletionExpiryCases } from './deletion-expiry.cases.js';
import { secretCases } from './secret.cases.js';
import { rotationCases } from './rotation.cases.js';
import { rootCases } from './root.cases.js';
import { sessionCases } from './session.cases.js';
import { versionCases } from './version.cases.js';

export { buildSecret, plan, fakeSealed, type OpenedStorage } from './fixtures.js';

/**
 * The contract every storage adapter must meet; each adapter's test file calls this
 * once. `open` gives a fresh, empty store; cases isolate themselves by random ids.
 */
export const runStoreConformanceSuite = (name: string, open: () => Promise<OpenedStorage>): void => {
  describe(`storage conformance: ${name}`, () => {
    let opened: OpenedStorage | undefined;
    before(async () => {
      opened = await open();
    });
    after(async () => {
      await opened?.cleanup();
    });
    const storage = (): Storage => {
      if (!opened) {
        throw new Error('the store did not open');
      }
      return opened.storage;
    };
    describe('secrets', () => secretCases(storage));
    describe('versions', () => versionCases(storage));
    describe('listings', () => listingCases(storage));
    describe('purge and expiry', () => maintenanceCases(storage));
    describe('deletion windows and expiry notices', () => deletionExpiryCases(storage));
    describe('key-encryption keys', () => keyCases(storage));
    describe('customer-managed keys', () => kmsCases(storage));
    describe('iam', () => iamCases(storage));
    describe('iam principals', () => iamPrincipalCases(storage));
    describe('iam users and groups', () => iamUserCases(storage));
    describe('key/value view', () => kvCases(storage));
    describe('audit trail', () => auditCases(storage));
    describe('console sessions', () => sessionCases(storage));
    describe('lifecycle events and webhooks', () => eventCases(storage));
    describe('lifecycle events in the transaction of their change', () => eventAtomicityCases(storage));
    describe('rotation policies', () => rotationCases(storage));
    describe('root-key migration', () => rootCases(storage));
  });
};
