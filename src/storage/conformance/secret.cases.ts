import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { AppError } from '../../shared/errors.js';
import { append, buildSecret, everything, filterFor, REGION, withCode, type StorageRef } from './fixtures.js';

export const secretCases = (storage: StorageRef): void => {
  it('stores every field of a secret as given', async () => {
    const secret = buildSecret({
      name: 'db-password',
      path: '/team/app',
      type: 'database_credentials',
      description: 'prod',
      tags: ['b', 'a', 'é'],
      protected: true,
      ephemeralPolicy: { timeToLiveSeconds: 3600, expiresOnceAccessed: true, action: 'disable' },
      usedBy: ['kubernetes'],
      keyId: 'key-1',
      createdAt: 1_700_000_000_000_001,
      updatedAt: 1_700_000_000_000_002,
    });
    await storage().secrets.insertSecret(secret);
    assert.deepEqual(await storage().secrets.getSecret(REGION, secret.id), secret);
    assert.equal(await storage().secrets.getSecret('nl-ams', secret.id), null);
    assert.equal(await storage().secrets.getSecret(REGION, randomUUID()), null);
    const scheduled = buildSecret({ deletionRequestedAt: 42, ephemeralPolicy: { timeToLiveSeconds: null, expiresOnceAccessed: null, action: 'delete' } });
    await storage().secrets.insertSecret(scheduled);
    assert.deepEqual(await storage().secrets.getSecret(REGION, scheduled.id), scheduled);
  });

  it('refuses a second active secret at the same region, project, path and name; a soft-deleted one frees the name', async () => {
    const first = buildSecret();
    const twin = () => buildSecret({ organizationId: first.organizationId, projectId: first.projectId, name: first.name });
    await storage().secrets.insertSecret(first);
    await assert.rejects(storage().secrets.insertSecret(twin()), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'already_exists');
      assert.equal(error.details.resource, 'secret');
      return true;
    });
    await storage().secrets.insertSecret({ ...twin(), path: '/other' });
    await storage().secrets.insertSecret({ ...twin(), region: 'nl-ams' });
    await storage().secrets.insertSecret({ ...twin(), projectId: randomUUID() });
    await storage().secrets.updateSecret(REGION, first.id, (secret) => ({ secret: { ...secret, deletionRequestedAt: 5 } }));
    const second = twin();
    await storage().secrets.insertSecret(second);
    await storage().secrets.updateSecret(REGION, second.id, (secret) => ({ secret: { ...secret, deletionRequestedAt: 6 } }));
    await storage().secrets.insertSecret(twin());
    // Restoring a soft-deleted secret whose name was taken meanwhile clashes.
    await assert.rejects(
      storage().secrets.updateSecret(REGION, first.id, (secret) => ({ secret: { ...secret, deletionRequestedAt: null } })),
      withCode('already_exists'),
    );
  });

  it('finds the active secret at a path and name', async () => {
    const secret = buildSecret({ path: '/a/b' });
    await storage().secrets.insertSecret(secret);
    const find = (path: string) => storage().secrets.findActiveSecretByPath(REGION, secret.projectId, path, secret.name);
    assert.equal((await find('/a/b'))?.id, secret.id);
    assert.equal(await find('/a'), null);
    assert.equal(await storage().secrets.findActiveSecretByPath('nl-ams', secret.projectId, '/a/b', secret.name), null);
    await storage().secrets.updateSecret(REGION, secret.id, (current) => ({ secret: { ...current, deletionRequestedAt: 1 } }));
    assert.equal(await find('/a/b'), null);
  });

  it('updates a secret, its tags and the versions the mutation returns', async () => {
    const secret = buildSecret({ tags: ['old', 'kept'] });
    await storage().secrets.insertSecret(secret);
    await append(storage(), secret);
    await append(storage(), secret);
    const updated = await storage().secrets.updateSecret(REGION, secret.id, (current, versions) => ({
      secret: { ...current, name: 'renamed', tags: ['kept', 'new', 'new'], updatedAt: 9 },
      versions: versions().map((version) => ({ ...version, status: 'disabled' as const, updatedAt: 9 })),
    }));
    assert.equal(updated.name, 'renamed');
    assert.deepEqual(await storage().secrets.getSecret(REGION, secret.id), updated);
    const listed = await storage().secrets.listVersions(secret.id, ['disabled'], everything);
    assert.equal(listed.totalCount, 2);
    const byTag = (tags: string[]) => storage().secrets.listAllSecrets(filterFor(secret.organizationId, { tags }));
    assert.equal((await byTag(['new'])).length, 1);
    assert.equal((await byTag(['old'])).length, 0);
    assert.deepEqual((await storage().secrets.listTags(REGION, secret.organizationId, null, everything)).items, ['kept', 'new']);
  });

  it('loads versions for a mutation that asks, lazily or eagerly, and runs it once when it does not', async () => {
    const secret = buildSecret();
    await storage().secrets.insertSecret(secret);
    await append(storage(), secret);
    for (const loadVersions of [false, true]) {
      let seen = -1;
      await storage().secrets.updateSecret(
        REGION,
        secret.id,
        (current, versions) => {
          seen = versions().length;
          return { secret: current };
        },
        { loadVersions },
      );
      assert.equal(seen, 1);
    }
    let calls = 0;
    await storage().secrets.updateSecret(REGION, secret.id, (current) => {
      calls += 1;
      return { secret: { ...current, description: 'x' } };
    });
    assert.equal(calls, 1);
  });

  it('writes nothing when a mutation throws, and reports a missing secret', async () => {
    const secret = buildSecret();
    await storage().secrets.insertSecret(secret);
    await assert.rejects(
      storage().secrets.updateSecret(REGION, secret.id, () => {
        throw new AppError('failed_precondition', 'refused');
      }),
      withCode('failed_precondition'),
    );
    const other = buildSecret();
    await storage().secrets.insertSecret(other);
    await append(storage(), other);
    // A version of another secret is refused, and the secret's own change is rolled back.
    const foreign = await storage().secrets.getVersion(other.id, 1);
    assert.ok(foreign);
    await assert.rejects(
      storage().secrets.updateSecret(REGION, secret.id, (current) => ({ secret: { ...current, description: 'changed' }, versions: [foreign] })),
      withCode('internal'),
    );
    assert.deepEqual(await storage().secrets.getSecret(REGION, secret.id), secret);
    await assert.rejects(storage().secrets.updateSecret(REGION, randomUUID(), (current) => ({ secret: current })), withCode('not_found'));
    await assert.rejects(storage().secrets.updateSecret('nl-ams', secret.id, (current) => ({ secret: current })), withCode('not_found'));
  });

  it('purges a secret with its versions and tags, and ignores one already gone', async () => {
    const secret = buildSecret({ tags: ['gone'] });
    await storage().secrets.insertSecret(secret);
    await append(storage(), secret);
    await storage().secrets.purgeSecret(secret.id);
    assert.equal(await storage().secrets.getSecret(REGION, secret.id), null);
    assert.equal(await storage().secrets.getVersion(secret.id, 1), null);
    assert.equal((await storage().secrets.listVersions(secret.id, [], everything)).totalCount, 0);
    assert.equal((await storage().secrets.listTags(REGION, secret.organizationId, null, everything)).totalCount, 0);
    await storage().secrets.purgeSecret(secret.id);
  });

  it('purges safely while versions are being appended', async () => {
    const secret = buildSecret();
    await storage().secrets.insertSecret(secret);
    const appends = Array.from({ length: 10 }, () => append(storage(), secret).then(() => 'added', (error: unknown) => error));
    const [purged, ...outcomes] = await Promise.all([storage().secrets.purgeSecret(secret.id).then(() => 'purged'), ...appends]);
    assert.equal(purged, 'purged');
    for (const outcome of outcomes) {
      assert.ok(outcome === 'added' || (outcome instanceof AppError && outcome.code === 'not_found'), String(outcome));
    }
    assert.equal(await storage().secrets.getSecret(REGION, secret.id), null);
  });
};
