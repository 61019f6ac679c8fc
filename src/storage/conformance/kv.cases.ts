import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import type { SecretKvMetadata } from '../../core/secrets/index.js';
import { append, buildSecret, everything, fakeSealed, plan, REGION, revisions, type StorageRef } from './fixtures.js';

const kvMetadata: SecretKvMetadata = {
  maxVersions: 3,
  casRequired: true,
  deleteVersionAfterSeconds: 3600,
  customMetadata: { owner: 'team-a', 'e=mc2': 'ünïcode' },
  oldestVersion: 0,
};

export const kvCases = (storage: StorageRef): void => {
  it('keeps a secret\'s KV metadata and a version\'s disable time', async () => {
    const secret = buildSecret({ kvMetadata });
    await storage().secrets.insertSecret(secret);
    assert.deepEqual((await storage().secrets.getSecret(REGION, secret.id))?.kvMetadata, kvMetadata);
    await append(storage(), secret);
    const disabled = await storage().secrets.updateVersion(secret.id, 1, (version) => ({ ...version, status: 'disabled', disabledAt: 42 }));
    assert.equal(disabled.disabledAt, 42);
    assert.equal((await storage().secrets.getVersion(secret.id, 1))?.disabledAt, 42);
    assert.equal((await storage().secrets.readVersionWithPayload(REGION, secret.id, 1))?.version.disabledAt, 42);
  });

  it('reads a version with its payload by path and name, for live secrets only', async () => {
    const secret = buildSecret({ path: '/kv/app', name: 'db' });
    await storage().secrets.insertSecret(secret);
    const location = { region: REGION, projectId: secret.projectId, path: '/kv/app', name: 'db' };
    assert.equal(await storage().secrets.readVersionWithPayloadAt(location, 'latest'), null);
    const sealed = fakeSealed();
    await storage().secrets.appendVersion(REGION, secret.id, (_current, revision) => plan(secret.id, revision, {}, sealed));
    await append(storage(), secret, { status: 'disabled' });
    const latest = await storage().secrets.readVersionWithPayloadAt(location, 'latest');
    assert.equal(latest?.version.revision, 2);
    assert.equal(latest?.secret.id, secret.id);
    assert.equal((await storage().secrets.readVersionWithPayloadAt(location, 'latest_enabled'))?.version.revision, 1);
    assert.deepEqual((await storage().secrets.readVersionWithPayloadAt(location, 1))?.sealed, sealed);
    assert.equal(await storage().secrets.readVersionWithPayloadAt(location, 3), null);
    assert.equal(await storage().secrets.readVersionWithPayloadAt({ ...location, name: 'other' }, 1), null);
    assert.equal(await storage().secrets.readVersionWithPayloadAt({ ...location, region: 'nl-ams' }, 1), null);
    await storage().secrets.updateSecret(REGION, secret.id, (current) => ({ secret: { ...current, deletionRequestedAt: 5 } }));
    assert.equal(await storage().secrets.readVersionWithPayloadAt(location, 1), null);
  });

  it('prunes versions below a revision and replaces KV metadata in the same append', async () => {
    const secret = buildSecret();
    await storage().secrets.insertSecret(secret);
    for (let index = 0; index < 4; index += 1) {
      await append(storage(), secret);
    }
    const next = { ...kvMetadata, oldestVersion: 4 };
    const result = await storage().secrets.appendVersion(REGION, secret.id, (_current, revision) => ({
      ...plan(secret.id, revision),
      pruneBelow: 4,
      kvMetadata: next,
    }));
    assert.equal(result.version.revision, 5);
    assert.deepEqual(result.secret.kvMetadata, next);
    assert.deepEqual(revisions((await storage().secrets.listVersions(secret.id, [], everything)).items), [5, 4]);
    assert.equal(await storage().secrets.getVersion(secret.id, 3), null);
    const stored = await storage().secrets.getSecret(REGION, secret.id);
    assert.equal(stored?.versionCount, 5);
    assert.deepEqual(stored?.kvMetadata, next);
    // Pruning never makes a revision reusable.
    assert.equal((await append(storage(), secret)).version.revision, 6);
  });

  it('erases the payload of a version written back as deleted', async () => {
    const secret = buildSecret();
    await storage().secrets.insertSecret(secret);
    await storage().secrets.appendVersion(REGION, secret.id, (_current, revision) => plan(secret.id, revision, {}, fakeSealed()));
    await storage().secrets.updateSecret(
      REGION,
      secret.id,
      (current, versions) => ({ secret: current, versions: versions().map((version) => ({ ...version, status: 'deleted' as const, deletedAt: 9 })) }),
      { loadVersions: true },
    );
    const read = await storage().secrets.readVersionWithPayload(REGION, secret.id, 1);
    assert.equal(read?.version.status, 'deleted');
    assert.equal(read?.sealed, null);
  });

  it('creates one domain per project and region, keeps its settings, and lists by organization', async () => {
    const organizationId = randomUUID();
    const projectId = randomUUID();
    const settings = { maxVersions: 0, casRequired: false, deleteVersionAfterSeconds: 0 };
    const first = await storage().kv.ensureDomain({ id: randomUUID(), organizationId, projectId, region: REGION, createdAt: 1 }, settings);
    const again = await storage().kv.ensureDomain({ id: randomUUID(), organizationId, projectId, region: REGION, createdAt: 2 }, settings);
    assert.equal(again.id, first.id);
    const concurrent = await Promise.all(
      ['nl-ams', 'nl-ams', 'nl-ams'].map((region) => storage().kv.ensureDomain({ id: randomUUID(), organizationId, projectId, region, createdAt: 3 }, settings)),
    );
    assert.equal(new Set(concurrent.map((domain) => domain.id)).size, 1);
    await storage().kv.updateSettings(projectId, REGION, { maxVersions: 7, casRequired: true, deleteVersionAfterSeconds: -1 });
    assert.deepEqual((await storage().kv.findDomain(first.id))?.settings, { maxVersions: 7, casRequired: true, deleteVersionAfterSeconds: -1 });
    assert.deepEqual((await storage().kv.findDomainByScope(projectId, 'nl-ams'))?.settings, settings);
    assert.equal(await storage().kv.findDomainByScope(projectId, 'pl-waw'), null);
    assert.equal(await storage().kv.findDomain(randomUUID()), null);
    const listed = await storage().kv.listDomains(organizationId);
    assert.deepEqual(listed.map((domain) => domain.region).sort(), ['fr-par', 'nl-ams']);
    assert.deepEqual(await storage().kv.listDomains(randomUUID()), []);
  });
};
