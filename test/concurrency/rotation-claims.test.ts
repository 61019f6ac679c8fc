import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { SecretEventInput } from '../../src/core/events/event-types.js';
import { createIamService, type Actor } from '../../src/core/iam/index.js';
import { createKeyService } from '../../src/core/keys/index.js';
import { createRotation } from '../../src/core/rotation/index.js';
import { createSecretService, createVersionService } from '../../src/core/secrets/index.js';
import { createRootKey, fileRootProtector } from '../../src/crypto/index.js';
import { systemClock } from '../../src/shared/clock.js';
import { openStorage, type Storage } from '../../src/storage/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { startRotationReceiver, type RotationReceiver } from '../helpers/rotation-receiver.js';

const N = 12;
const REGIONS = ['fr-par'];

/**
 * Two stores on one PostgreSQL, as two processes have, each running the rotation job at
 * the same moment without any leader lock: the compare-and-set claim alone must make
 * each due rotation happen once.
 */
describe('rotation claims across processes (PostgreSQL, no leader lock)', () => {
  let database: TestDatabase;
  let receiver: RotationReceiver;
  const storages: Storage[] = [];
  const events: SecretEventInput[] = [];
  let actor: Actor;
  const rootKey = createRootKey([fileRootProtector(randomBytes(32))], randomBytes(32));

  const processOf = (storage: Storage) => {
    const keys = createKeyService({ store: storage.keys, rootKey, clock: systemClock });
    const iam = createIamService({ store: storage.iam, clock: systemClock });
    const rotation = createRotation({
      store: storage.rotation,
      secrets: storage.secrets,
      keys,
      iam,
      clock: systemClock,
      regions: REGIONS,
      sealingKey: rootKey.deriveKey('coffer/rotation-signing-secret/v1'),
      publisher: { publish: async (event) => void events.push(event) },
      logger: { info: () => {}, warn: () => {}, error: () => {} },
    });
    return {
      iam,
      rotation,
      secrets: createSecretService({ store: storage.secrets, iam, clock: systemClock, regions: REGIONS }),
      versions: createVersionService({ store: storage.secrets, keys, iam, clock: systemClock, regions: REGIONS }),
    };
  };

  before(async () => {
    database = await createTestDatabase();
    receiver = await startRotationReceiver();
    for (let index = 0; index < 2; index += 1) {
      storages.push(await openStorage({ kind: 'postgres', url: database.url, poolSize: 4 }));
    }
    const first = processOf(storages[0] as Storage);
    const secretKey = randomUUID();
    await first.iam.bootstrap({ accessKey: 'SCWROTATIONCLAIMS001', secretKey });
    actor = await first.iam.authenticate(secretKey);
  });
  after(async () => {
    for (const storage of storages) {
      await storage.close();
    }
    await receiver.close();
    await database.drop();
  });

  /** N secrets whose policies are due now, made through the first process. */
  const dueSecrets = async (prefix: string, policy: 'generator' | 'webhook'): Promise<string[]> => {
    const { secrets, versions, rotation } = processOf(storages[0] as Storage);
    const ids: string[] = [];
    for (let index = 0; index < N; index += 1) {
      const secret = await secrets.create(actor, 'fr-par', { name: `${prefix}-${index}`, type: 'opaque' });
      await versions.create(actor, 'fr-par', secret.id, { data: Buffer.from('v1') });
      const method =
        policy === 'generator'
          ? { type: 'generator' as const, generator: { kind: 'password' as const, length: 16, classes: ['lower' as const], key: null } }
          : { type: 'webhook' as const, webhook: { url: receiver.url, maxAttempts: 3, timeoutSeconds: 10 } };
      const set = await rotation.service.setPolicy(actor, 'fr-par', secret.id, {
        intervalSeconds: 86_400,
        nextRotationAt: systemClock.nowMicros() - 60_000_000,
        method,
        disablePrevious: false,
        renewSigningSecret: false,
      });
      if (set.signingSecret !== null) {
        receiver.useSigningSecret(secret.id, set.signingSecret);
      }
      ids.push(secret.id);
    }
    return ids;
  };

  /** Both "processes" run the job twice, all four passes at once. */
  const raceJobs = async (): Promise<number> => {
    const jobs = storages.map((storage) => processOf(storage).rotation.job);
    const now = systemClock.nowMicros();
    const handled = await Promise.all([...jobs, ...jobs].map((job) => job.runDue(now)));
    return handled.reduce((sum, count) => sum + count, 0);
  };

  it('rotates each due generator policy exactly once', async () => {
    const ids = await dueSecrets('gen', 'generator');
    events.splice(0);
    assert.equal(await raceJobs(), N);
    for (const id of ids) {
      const secret = await storages[1]?.secrets.getSecret('fr-par', id);
      assert.equal(secret?.versionCount, 2, `secret ${id} has one rotated version`);
    }
    assert.equal(events.filter((event) => event.type === 'secret.rotated').length, N);
    assert.equal(await raceJobs(), 0, 'nothing is due any more');
  });

  it('calls the webhook once per due rotation', async () => {
    receiver.plan([], async (received) => ({ status: 200, body: { value: `rotated-${String(received.body.rotation_id)}` } }));
    const ids = await dueSecrets('hook', 'webhook');
    assert.equal(await raceJobs(), N);
    assert.equal(receiver.calls.length, N);
    assert.deepEqual(new Set(receiver.calls.map((received) => received.body.secret_id)), new Set(ids));
    assert.ok(receiver.calls.every((received) => received.signatureValid));
    for (const id of ids) {
      assert.equal((await storages[0]?.secrets.getSecret('fr-par', id))?.versionCount, 2);
    }
  });
});
