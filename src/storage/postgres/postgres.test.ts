import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { createTestDatabase } from '../../../test/helpers/postgres.js';
import { buildSecret, runStoreConformanceSuite } from '../conformance/store.suite.js';
import { openStorage } from '../index.js';

runStoreConformanceSuite('postgres', async () => {
  const database = await createTestDatabase();
  const storage = await openStorage({ kind: 'postgres', url: database.url });
  return { storage, cleanup: async () => (await storage.close(), await database.drop()) };
});

describe('postgres storage shared by two pools', () => {
  it('gives two processes gapless revisions on one secret', async () => {
    const database = await createTestDatabase();
    const [one, two] = await Promise.all([openStorage({ kind: 'postgres', url: database.url }), openStorage({ kind: 'postgres', url: database.url })]);
    try {
      const secret = buildSecret();
      await one.secrets.insertSecret(secret);
      const append = (storage: typeof one) =>
        storage.secrets.appendVersion('fr-par', secret.id, (_s, revision) => ({
          version: {
            secretId: secret.id, revision, status: 'enabled', description: '', createdAt: 1, updatedAt: 1, deletedAt: null,
            deletionRequestedAt: null, statusBeforeDeletion: null, ephemeral: null, checksumAlgorithm: null,
          },
          sealed: { dekId: randomUUID(), kekId: 'k', wrappedDek: randomBytes(8), ciphertext: randomBytes(8) },
          disablePrevious: false,
        }));
      const results = await Promise.all(Array.from({ length: 80 }, (_, index) => append(index % 2 === 0 ? one : two)));
      assert.deepEqual(results.map((result) => result.version.revision).sort((a, b) => a - b), Array.from({ length: 80 }, (_, index) => index + 1));
      assert.equal((await two.secrets.getSecret('fr-par', secret.id))?.versionCount, 80);
    } finally {
      await Promise.all([one.close(), two.close()]);
      await database.drop();
    }
  });
});
