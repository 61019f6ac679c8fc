import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildSecret, runStoreConformanceSuite } from '../conformance/store.suite.js';
import { openStorage } from '../index.js';

runStoreConformanceSuite('sqlite', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'coffer-sqlite-'));
  const storage = await openStorage({ kind: 'sqlite', dataDir });
  return { storage, cleanup: async () => (await storage.close(), rmSync(dataDir, { recursive: true, force: true })) };
});

describe('sqlite storage files', () => {
  it('keeps data across a close and reopen, and migrates only once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'coffer-sqlite-'));
    const secret = buildSecret({ id: randomUUID() });
    const first = await openStorage({ kind: 'sqlite', dataDir });
    await first.secrets.insertSecret(secret);
    await first.close();
    const second = await openStorage({ kind: 'sqlite', dataDir });
    assert.equal((await second.secrets.getSecret('fr-par', secret.id))?.name, secret.name);
    await second.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
});
