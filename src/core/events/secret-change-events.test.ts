import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Secret, SecretVersion } from '../secrets/index.js';
import { createSecretChangeEvents, eventsOfSecretChange } from './secret-change-events.js';

const secret: Secret = {
  id: 'secret-1',
  region: 'fr-par',
  organizationId: 'org-1',
  projectId: 'project-1',
  name: 'db',
  path: '/prod',
  type: 'opaque',
  description: '',
  tags: [],
  protected: false,
  ephemeralPolicy: null,
  usedBy: [],
  keyId: null,
  versionCount: 2,
  createdAt: 1,
  updatedAt: 1,
  deletionRequestedAt: null,
  kvMetadata: null,
  disabledAt: null,
  expiresAt: null,
  purgeAt: null,
};
const version = (revision: number): SecretVersion => ({
  secretId: secret.id,
  revision,
  status: 'enabled',
  description: '',
  createdAt: 2,
  updatedAt: 2,
  deletedAt: null,
  deletionRequestedAt: null,
  statusBeforeDeletion: null,
  ephemeral: null,
  disabledAt: null,
  checksumAlgorithm: null,
});
const v1 = version(1);
const v2 = version(2);
const typesOf = (change: Parameters<typeof eventsOfSecretChange>[0]) => eventsOfSecretChange(change).map((event) => [event.type, event.revision ?? null]);

describe('events derived from secret changes', () => {
  it('names the secret by its full path and carries no more than identifiers', () => {
    assert.deepEqual(eventsOfSecretChange({ kind: 'secret_inserted', secret }), [
      { type: 'secret.created', organizationId: secret.organizationId, projectId: secret.projectId, region: secret.region, secretId: secret.id, path: '/prod/db' },
    ]);
  });

  it('makes secret.updated only for described fields, not counters or times', () => {
    const update = (after: typeof secret) => typesOf({ kind: 'secret_updated', before: secret, after, versionsBefore: [], versionsChanged: [] });
    assert.deepEqual(update({ ...secret, updatedAt: 9, versionCount: 4 }), []);
    assert.deepEqual(update({ ...secret, tags: ['a'] }), [['secret.updated', null]]);
    assert.deepEqual(update({ ...secret, disabledAt: 5, description: 'also' }), [['secret.disabled', null]]);
  });

  it('folds the versions that follow their secret into a scheduled deletion into the secret event', () => {
    const scheduled = { ...secret, deletionRequestedAt: 5 };
    const followers = [{ ...v1, status: 'scheduled_for_deletion' as const }];
    assert.deepEqual(typesOf({ kind: 'secret_updated', before: secret, after: scheduled, versionsBefore: [v1], versionsChanged: followers }), [['secret.scheduled_for_deletion', null]]);
    assert.deepEqual(typesOf({ kind: 'secret_updated', before: scheduled, after: secret, versionsBefore: followers, versionsChanged: [v1] }), [['secret.restored', null]]);
  });

  it('makes version.disabled and version.enabled from the versions before and after, not from other status changes', () => {
    const disabled = { ...v2, status: 'disabled' as const };
    assert.deepEqual(typesOf({ kind: 'secret_updated', before: secret, after: secret, versionsBefore: [v1, v2], versionsChanged: [disabled] }), [['version.disabled', 2]]);
    assert.deepEqual(typesOf({ kind: 'version_updated', secret, before: disabled, after: v2 }), [['version.enabled', 2]]);
    assert.deepEqual(typesOf({ kind: 'version_updated', secret, before: v2, after: { ...v2, status: 'deleted' } }), []);
    assert.deepEqual(typesOf({ kind: 'version_appended', secret, version: v2 }), [['version.created', 2]]);
    assert.deepEqual(typesOf({ kind: 'secret_purged', secret }), [['secret.purged', null]]);
  });

  it('announces an expiry notice as expiring with its days, or expired at 0', () => {
    const expiresAt = 86_400_000_000;
    assert.deepEqual(eventsOfSecretChange({ kind: 'expiry_notice_recorded', secret, expiresAt, secondsBefore: 604_800 })[0]?.details, { expires_at: '1970-01-02T00:00:00.000000Z', days_before: 7 });
    const [expired] = eventsOfSecretChange({ kind: 'expiry_notice_recorded', secret, expiresAt, secondsBefore: 0 });
    assert.equal(expired?.type, 'secret.expired');
    assert.deepEqual(expired?.details, { expires_at: '1970-01-02T00:00:00.000000Z' });
  });

  it('gives each event its own id and the clock time', () => {
    const ids = ['a', 'b'];
    const derive = createSecretChangeEvents({ clock: { nowMicros: () => 42 }, ids: () => ids.shift() ?? 'none' });
    const events = derive({ kind: 'secret_updated', before: secret, after: { ...secret, disabledAt: 3 }, versionsBefore: [v1], versionsChanged: [{ ...v1, status: 'disabled' }] });
    assert.deepEqual(events.map((event) => [event.type, event.id, event.occurredAt]), [
      ['secret.disabled', 'a', 42],
      ['version.disabled', 'b', 42],
    ]);
  });
});
