import assert from 'node:assert/strict';
import { test } from 'node:test';
import { healthStatus } from './health-route.js';

test('answers 200 when healthy and 503 (sealed) when the store is unreachable, unless told otherwise', () => {
  assert.equal(healthStatus({}, true), 200);
  assert.equal(healthStatus({}, false), 503);
  assert.equal(healthStatus({ activecode: '204' }, true), 204);
  assert.equal(healthStatus({ activecode: ['299', '201'] }, true), 299);
  // The Go client's Health() asks for these so that a sealed server is not an error.
  assert.equal(healthStatus({ sealedcode: '299', uninitcode: '299' }, false), 299);
  assert.equal(healthStatus({ sealedcode: '299' }, true), 200);
  // Coffer is never a standby: the standby switches change nothing.
  assert.equal(healthStatus({ standbyok: 'true', standbycode: '200', perfstandbyok: 'false' }, true), 200);
});

test('refuses unreadable overrides, as Vault does, with a bare 400', () => {
  for (const query of [{ activecode: 'abc' }, { sealedcode: '1.5' }, { uninitcode: '' }, { activecode: '99' }, { activecode: '1000' }, { activecode: '101' }, { standbyok: 'maybe' }]) {
    assert.equal(healthStatus(query, true), null, JSON.stringify(query));
  }
});
