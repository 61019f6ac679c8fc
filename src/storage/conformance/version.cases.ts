import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { AppError } from '../../shared/errors.js';
import { append, buildSecret, everything, fakeSealed, oneToN, plan, REGION, revisions, withCode, type StorageRef } from './fixtures.js';

export const versionCases = (storage: StorageRef): void => {
  it('hands out gapless, unique revisions to 50 concurrent appends', async () => {
    const secret = buildSecret();
    await storage().secrets.insertSecret(secret);
    const results = await Promise.all(Array.from({ length: 50 }, () => append(storage(), secret)));
    assert.deepEqual(revisions(results.map((result) => result.version)).sort((a, b) => a - b), oneToN(50));
    assert.equal((await storage().secrets.getSecret(REGION, secret.id))?.versionCount, 50);
    const listed = await storage().secrets.listVersions(secret.id, [], everything);
    assert.equal(listed.totalCount, 50);
    assert.deepEqual(revisions(listed.items), oneToN(50).reverse());
  });

  it('stores the version and payload the builder makes, and leaves the secret updated_at alone', async () => {
    const secret = buildSecret({ updatedAt: 7 });
    await storage().secrets.insertSecret(secret);
    const sealed = fakeSealed('kek-9');
    const seen: { versionCount: number; revision: number }[] = [];
    const result = await storage().secrets.appendVersion(REGION, secret.id, (current, revision) => {
      seen.push({ versionCount: current.versionCount, revision });
      const ephemeral = { expiresAt: 99, expiresOnceAccessed: true, action: 'delete' as const };
      return plan(secret.id, revision, { description: 'v1', checksumAlgorithm: 'crc32c', ephemeral }, sealed);
    });
    assert.deepEqual(seen, [{ versionCount: 0, revision: 1 }]);
    assert.deepEqual(result.secret, { ...secret, versionCount: 1 });
    assert.deepEqual(await storage().secrets.getSecret(REGION, secret.id), result.secret);
    assert.deepEqual(await storage().secrets.getVersion(secret.id, 1), result.version);
    const read = await storage().secrets.readVersionWithPayload(REGION, secret.id, 1);
    assert.deepEqual(read, { secret: result.secret, version: result.version, sealed });
    await append(storage(), secret, { ephemeral: { expiresAt: null, expiresOnceAccessed: false, action: 'disable' } });
    await append(storage(), secret, { ephemeral: { expiresAt: 5, expiresOnceAccessed: null, action: 'disable' } });
    assert.deepEqual((await storage().secrets.getVersion(secret.id, 2))?.ephemeral, { expiresAt: null, expiresOnceAccessed: false, action: 'disable' });
    assert.deepEqual((await storage().secrets.getVersion(secret.id, 3))?.ephemeral, { expiresAt: 5, expiresOnceAccessed: null, action: 'disable' });
  });

  it('writes nothing when the builder throws, and reports a missing secret', async () => {
    const secret = buildSecret();
    await storage().secrets.insertSecret(secret);
    await append(storage(), secret);
    await assert.rejects(
      storage().secrets.appendVersion(REGION, secret.id, () => {
        throw new AppError('failed_precondition', 'refused');
      }),
      withCode('failed_precondition'),
    );
    assert.equal((await storage().secrets.getSecret(REGION, secret.id))?.versionCount, 1);
    assert.equal((await storage().secrets.listVersions(secret.id, [], everything)).totalCount, 1);
    assert.equal((await append(storage(), secret)).version.revision, 2);
    let built = false;
    const builder = () => {
      built = true;
      return plan(secret.id, 1);
    };
    await assert.rejects(storage().secrets.appendVersion(REGION, randomUUID(), builder), withCode('not_found'));
    await assert.rejects(storage().secrets.appendVersion('nl-ams', secret.id, builder), withCode('not_found'));
    assert.equal(built, false);
  });

  it('disables the previous version on request, only when it is enabled', async () => {
    const secret = buildSecret();
    await storage().secrets.insertSecret(secret);
    await append(storage(), secret);
    const second = await append(storage(), secret, {}, true);
    const first = await storage().secrets.getVersion(secret.id, 1);
    assert.equal(first?.status, 'disabled');
    assert.equal(first?.updatedAt, second.version.createdAt);
    await storage().secrets.updateVersion(secret.id, 2, (version) => ({ ...version, status: 'scheduled_for_deletion', statusBeforeDeletion: 'enabled' }));
    await append(storage(), secret, {}, true);
    assert.equal((await storage().secrets.getVersion(secret.id, 2))?.status, 'scheduled_for_deletion');
    await append(storage(), secret, {}, false);
    assert.equal((await storage().secrets.getVersion(secret.id, 3))?.status, 'enabled');
  });

  it('selects a revision by number, latest whatever its status, or latest enabled', async () => {
    const secret = buildSecret();
    await storage().secrets.insertSecret(secret);
    const none = await Promise.all([
      storage().secrets.getVersion(secret.id, 'latest'),
      storage().secrets.readVersionWithPayload(REGION, secret.id, 'latest'),
    ]);
    assert.deepEqual(none, [null, null]);
    await append(storage(), secret);
    await append(storage(), secret);
    await append(storage(), secret, { status: 'disabled' });
    for (const [selector, expected] of [['latest', 3], ['latest_enabled', 2], [1, 1]] as const) {
      assert.equal((await storage().secrets.getVersion(secret.id, selector))?.revision, expected);
      const read = await storage().secrets.readVersionWithPayload(REGION, secret.id, selector);
      assert.ok(read);
      assert.equal(read.version.revision, expected);
      assert.equal(read.secret.id, secret.id);
      assert.ok(read.sealed);
    }
    assert.equal(await storage().secrets.getVersion(secret.id, 4), null);
    assert.equal(await storage().secrets.readVersionWithPayload(REGION, secret.id, 4), null);
    assert.equal(await storage().secrets.readVersionWithPayload('nl-ams', secret.id, 'latest'), null);
    for (const revision of [1, 2]) {
      await storage().secrets.updateVersion(secret.id, revision, (version) => ({ ...version, status: 'disabled' }));
    }
    assert.equal(await storage().secrets.getVersion(secret.id, 'latest_enabled'), null);
    assert.equal(await storage().secrets.readVersionWithPayload(REGION, secret.id, 'latest_enabled'), null);
  });

  it('updates one version, or reports it missing', async () => {
    const secret = buildSecret();
    await storage().secrets.insertSecret(secret);
    await append(storage(), secret);
    let seenSecret = '';
    const updated = await storage().secrets.updateVersion(secret.id, 1, (version, owner) => {
      seenSecret = owner.id;
      return { ...version, description: 'described', updatedAt: 77, ephemeral: { expiresAt: 1, expiresOnceAccessed: null, action: 'delete' } };
    });
    assert.equal(seenSecret, secret.id);
    assert.deepEqual(await storage().secrets.getVersion(secret.id, 1), updated);
    await assert.rejects(
      storage().secrets.updateVersion(secret.id, 1, () => {
        throw new AppError('failed_precondition', 'refused');
      }),
      withCode('failed_precondition'),
    );
    assert.deepEqual(await storage().secrets.getVersion(secret.id, 1), updated);
    await assert.rejects(storage().secrets.updateVersion(secret.id, 2, (version) => version), withCode('not_found'));
    await assert.rejects(storage().secrets.updateVersion(randomUUID(), 1, (version) => version), withCode('not_found'));
  });

  it('lists versions newest first, filtered by status, paged with an exact total', async () => {
    const secret = buildSecret();
    await storage().secrets.insertSecret(secret);
    for (const status of ['enabled', 'disabled', 'enabled', 'disabled', 'enabled'] as const) {
      await append(storage(), secret, { status });
    }
    const page = (pageNumber: number, statuses: ('enabled' | 'disabled')[] = []) =>
      storage().secrets.listVersions(secret.id, statuses, { page: pageNumber, pageSize: 2 });
    assert.deepEqual(await page(1).then((listed) => [revisions(listed.items), listed.totalCount]), [[5, 4], 5]);
    assert.deepEqual(await page(3).then((listed) => [revisions(listed.items), listed.totalCount]), [[1], 5]);
    assert.deepEqual(await page(4).then((listed) => [revisions(listed.items), listed.totalCount]), [[], 5]);
    assert.deepEqual(await page(1, ['disabled']).then((listed) => [revisions(listed.items), listed.totalCount]), [[4, 2], 2]);
    assert.deepEqual(await page(1, ['enabled', 'disabled']).then((listed) => listed.totalCount), 5);
  });
};
