import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import type { EventType, StoredEvent } from '../../core/events/index.js';
import type { Secret } from '../../core/secrets/index.js';
import { AppError } from '../../shared/errors.js';
import { append, buildSecret, oneToN, queuedEventIds, REGION, type StorageRef } from './fixtures.js';

// Storage opened for these cases derives events with the core's function (fixtures'
// conformanceSecretEvents), as main.ts wires it: each secret write appends its events
// in its own transaction.
export const eventAtomicityCases = (storage: StorageRef): void => {
  const eventsOf = (secret: Secret): Promise<StoredEvent[]> => storage().events.listEvents({ organizationId: secret.organizationId, after: 0, limit: 500 });
  const summary = async (secret: Secret) => (await eventsOf(secret)).map((event) => [event.type, event.revision ?? null]);

  it('has the events of every secret write readable as soon as the write returns, in the order of the writes', async () => {
    const secret = buildSecret({ expiresAt: 90_000_000 });
    const expected: [EventType, number | null][] = [];
    const step = async (write: () => Promise<unknown>, ...events: [EventType, number | null][]) => {
      await write();
      expected.push(...events);
      assert.deepEqual(await summary(secret), expected);
    };
    await step(() => storage().secrets.insertSecret(secret), ['secret.created', null]);
    await step(() => storage().secrets.updateSecret(REGION, secret.id, (current) => ({ secret: { ...current, description: 'db' } })), ['secret.updated', null]);
    // A change of counters or times only is no event.
    await step(() => storage().secrets.updateSecret(REGION, secret.id, (current) => ({ secret: { ...current, updatedAt: current.updatedAt + 1 } })));
    await step(() => append(storage(), secret), ['version.created', 1]);
    await step(() => append(storage(), secret), ['version.created', 2]);
    await step(() => storage().secrets.updateVersion(secret.id, 1, (version) => ({ ...version, status: 'disabled' })), ['version.disabled', 1]);
    await step(
      () => storage().secrets.updateSecret(REGION, secret.id, (current, versions) => ({ secret: current, versions: versions().filter((v) => v.revision === 1).map((v) => ({ ...v, status: 'enabled' as const })) })),
      ['version.enabled', 1],
    );
    await step(() => storage().secrets.updateSecret(REGION, secret.id, (current) => ({ secret: { ...current, disabledAt: 5 } })), ['secret.disabled', null]);
    await step(() => storage().secrets.updateSecret(REGION, secret.id, (current) => ({ secret: { ...current, deletionRequestedAt: 6, purgeAt: 7 } })), ['secret.scheduled_for_deletion', null]);
    await step(() => storage().secrets.updateSecret(REGION, secret.id, (current) => ({ secret: { ...current, deletionRequestedAt: null, purgeAt: null } })), ['secret.restored', null]);
    const notice = { secretId: secret.id, expiresAt: 90_000_000, secondsBefore: 86_400, sentAt: 8 };
    await step(() => storage().secrets.recordExpiryNotice(notice, secret), ['secret.expiring', null]);
    // Recorded already (as by another process): the second call announces nothing.
    await step(async () => assert.equal(await storage().secrets.recordExpiryNotice(notice, secret), false));
    // A notice point recorded as passed, unannounced.
    await step(() => storage().secrets.recordExpiryNotice({ ...notice, secondsBefore: 2_592_000 }));
    await step(() => storage().secrets.purgeSecret(secret.id), ['secret.purged', null]);
    const events = await eventsOf(secret);
    assert.deepEqual(events.find((event) => event.type === 'secret.expiring')?.details, { expires_at: '1970-01-01T00:01:30.000000Z', days_before: 1 });
    assert.ok(events.every((event) => event.occurredAt === 7_000_000 && event.path === `/${secret.name}` && event.projectId === secret.projectId));
    assert.equal(new Set(events.map((event) => event.id)).size, events.length);
  });

  it('leaves neither the change nor its event when the event cannot be stored in the change transaction', async () => {
    // An id the log holds already: the event's insert fails after the change's rows were written.
    const { id: taken } = await storage().events.appendEvent({ id: randomUUID(), occurredAt: 1, type: 'secret.created', organizationId: randomUUID(), projectId: randomUUID(), region: REGION, secretId: randomUUID(), path: '/x' });
    const failsWithTakenId = async (write: () => Promise<unknown>) => {
      queuedEventIds.push(taken);
      try {
        await assert.rejects(write(), AppError);
      } finally {
        assert.deepEqual(queuedEventIds, [], 'the change asked for its event id');
        queuedEventIds.length = 0;
      }
    };
    const secret = buildSecret({ expiresAt: 90_000_000 });
    await failsWithTakenId(() => storage().secrets.insertSecret(secret));
    assert.equal(await storage().secrets.getSecret(REGION, secret.id), null);
    assert.deepEqual(await summary(secret), []);

    await storage().secrets.insertSecret(secret);
    await append(storage(), secret);
    await failsWithTakenId(() => append(storage(), secret));
    await failsWithTakenId(() => storage().secrets.updateSecret(REGION, secret.id, (current) => ({ secret: { ...current, description: 'changed', disabledAt: 3 } })));
    await failsWithTakenId(() => storage().secrets.updateVersion(secret.id, 1, (version) => ({ ...version, status: 'disabled' })));
    await failsWithTakenId(() => storage().secrets.recordExpiryNotice({ secretId: secret.id, expiresAt: 90_000_000, secondsBefore: 0, sentAt: 1 }, secret));
    await failsWithTakenId(() => storage().secrets.purgeSecret(secret.id));

    const stored = await storage().secrets.getSecret(REGION, secret.id);
    assert.deepEqual(stored, { ...secret, versionCount: 1 });
    assert.equal((await storage().secrets.getVersion(secret.id, 1))?.status, 'enabled');
    assert.equal(await storage().secrets.getVersion(secret.id, 2), null);
    // The failed notice was not recorded either: it is still there to record, and announce.
    assert.equal(await storage().secrets.recordExpiryNotice({ secretId: secret.id, expiresAt: 90_000_000, secondsBefore: 0, sentAt: 2 }, secret), true);
    assert.deepEqual(await summary(secret), [
      ['secret.created', null],
      ['version.created', 1],
      ['secret.expired', null],
    ]);
  });

  it('writes no event for a mutation that throws after reading the versions', async () => {
    const secret = buildSecret();
    await storage().secrets.insertSecret(secret);
    await append(storage(), secret);
    await assert.rejects(
      storage().secrets.updateSecret(REGION, secret.id, (_current, versions) => {
        versions();
        throw new AppError('failed_precondition', 'refused after reading');
      }),
      AppError,
    );
    assert.deepEqual(await summary(secret), [
      ['secret.created', null],
      ['version.created', 1],
    ]);
  });

  it('orders the events of concurrent writes to one secret as their writes: version.created in revision order', async () => {
    const secret = buildSecret();
    await storage().secrets.insertSecret(secret);
    await Promise.all(oneToN(20).map(() => append(storage(), secret)));
    const created = (await eventsOf(secret)).filter((event) => event.type === 'version.created');
    assert.deepEqual(created.map((event) => event.revision), oneToN(20));
  });
};
