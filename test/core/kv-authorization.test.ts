import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Action } from '../../src/core/iam/index.js';
import { AppError } from '../../src/shared/errors.js';
import { openKvHarness, type AuthorizationProbe, type KvHarness } from './kv-harness.js';

const deniedError = (error: unknown) => error instanceof AppError && error.code === 'permission_denied';

/** Listing a secret and reading its data are separate rights (OVHcloud's secret/get vs secret/version/getData). */
describe('KV service: the authorize seam', () => {
  const probe: AuthorizationProbe = { denied: new Set<Action>(), asked: [] };
  let h: KvHarness;
  before(async () => {
    h = await openKvHarness(probe);
    await h.kv.write(h.actor, h.scope, 'apps/db', { password: 'p' }, { cas: null });
  });
  after(async () => h.close());

  const asking = async (work: () => Promise<unknown>): Promise<Action[]> => {
    probe.asked.length = 0;
    await work();
    return [...new Set(probe.asked)];
  };

  it('asks for the read right for metadata and listings, and the access right for data', async () => {
    assert.deepEqual(await asking(() => h.kv.getMetadata(h.actor, h.scope, 'apps/db')), ['secrets:secret:read']);
    assert.deepEqual(await asking(() => h.kv.getVersionInfo(h.actor, h.scope, 'apps/db', 1)), ['secrets:secret:read']);
    assert.deepEqual(await asking(() => h.kv.read(h.actor, h.scope, 'apps/db', null)), ['secrets:version:access']);
    assert.deepEqual(await asking(() => h.kv.listChildren(h.actor, h.scope, 'apps')), ['secrets:secret:list']);
    assert.deepEqual(await asking(() => h.kv.deleteVersions(h.actor, h.scope, 'apps/db', [1])), ['secrets:version:update']);
    assert.deepEqual(await asking(() => h.kv.destroyVersions(h.actor, h.scope, 'apps/db', [9])), ['secrets:version:delete']);
  });

  it('lets a caller without the data right see metadata but not the data', async () => {
    await h.kv.undeleteVersions(h.actor, h.scope, 'apps/db', [1]);
    probe.denied.add('secrets:version:access');
    try {
      assert.equal((await h.kv.getMetadata(h.actor, h.scope, 'apps/db'))?.currentVersion, 1);
      await assert.rejects(h.kv.read(h.actor, h.scope, 'apps/db', null), deniedError);
      await assert.rejects(h.kv.read(h.actor, h.scope, 'apps/missing', null), deniedError, 'a missing key tells nothing either');
    } finally {
      probe.denied.clear();
    }
    probe.denied.add('secrets:secret:read');
    try {
      await assert.rejects(h.kv.getMetadata(h.actor, h.scope, 'apps/db'), deniedError);
      const read = await h.kv.read(h.actor, h.scope, 'apps/db', null);
      assert.deepEqual(read.kind === 'ok' && read.data, { password: 'p' });
    } finally {
      probe.denied.clear();
    }
  });
});
