import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { REGION, type StorageRef } from './fixtures.js';

/** What a root-key migration relies on: every swap of a wrapped value is a compare-and-set on its bytes. */
export const rootCases = (storage: StorageRef): void => {
  it('swaps a KEK\'s wrapped bytes only while they are still the expected ones', async () => {
    const kek = { id: randomUUID(), projectId: randomUUID(), region: REGION, generation: 1, wrappedKey: randomBytes(61), createdAt: 1 };
    await storage().keys.insertKek(kek);
    const listed = (await storage().root.listKeks()).find((row) => row.id === kek.id);
    assert.deepEqual(listed, { id: kek.id, projectId: kek.projectId, region: REGION, wrappedKey: kek.wrappedKey });
    const next = randomBytes(61);
    assert.equal(await storage().root.replaceKek(kek.id, randomBytes(61), next), false);
    assert.equal(await storage().root.replaceKek(kek.id, kek.wrappedKey, next), true);
    assert.equal(await storage().root.replaceKek(kek.id, kek.wrappedKey, randomBytes(61)), false, 'a second migrator finds the row moved');
    assert.deepEqual((await storage().keys.getKek(kek.id))?.wrappedKey, next);
  });

  it('keeps the first derivation secret stored and swaps it by compare-and-set', async () => {
    const first = randomBytes(61);
    const before = await storage().root.getMeta('root_derivation_secret');
    await storage().root.putMetaIfAbsent('root_derivation_secret', first);
    const kept = (await storage().root.getMeta('root_derivation_secret')) ?? assert.fail('no value stored');
    assert.deepEqual(Buffer.from(kept), before ? Buffer.from(before) : first);
    await storage().root.putMetaIfAbsent('root_derivation_secret', randomBytes(61));
    assert.deepEqual(Buffer.from((await storage().root.getMeta('root_derivation_secret')) ?? []), Buffer.from(kept));
    const next = randomBytes(61);
    assert.equal(await storage().root.replaceMeta('root_derivation_secret', randomBytes(61), next), false);
    assert.equal(await storage().root.replaceMeta('root_derivation_secret', kept, next), true);
    assert.deepEqual(Buffer.from((await storage().root.getMeta('root_derivation_secret')) ?? []), next);
  });

  it('reseals the audit signing key by compare-and-set', async () => {
    const key = { keyId: randomBytes(8).toString('hex'), publicKey: 'PEM', sealedPrivateKey: randomBytes(48), createdAt: 2 };
    await storage().audit.insertSigningKey(key);
    const next = randomBytes(48);
    assert.equal(await storage().audit.resealSigningKey(key.keyId, randomBytes(48), next), false);
    assert.equal(await storage().audit.resealSigningKey(key.keyId, key.sealedPrivateKey, next), true);
    const stored = (await storage().audit.listSigningKeys()).find((listed) => listed.keyId === key.keyId);
    assert.deepEqual(stored?.sealedPrivateKey, next);
  });
};
