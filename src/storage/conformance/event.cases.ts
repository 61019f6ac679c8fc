import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { it } from 'node:test';
import type { SecretEventInput, Webhook } from '../../core/events/index.js';
import { AppError } from '../../shared/errors.js';
import type { StorageRef } from './fixtures.js';

const eventIn = (overrides: Partial<SecretEventInput> = {}): SecretEventInput & { id: string; occurredAt: number } => ({
  id: randomUUID(),
  occurredAt: 5_000,
  type: 'secret.created',
  organizationId: randomUUID(),
  projectId: randomUUID(),
  region: 'fr-par',
  secretId: randomUUID(),
  path: '/app/db',
  ...overrides,
});

const webhook = (overrides: Partial<Webhook> = {}): Webhook => ({
  id: randomUUID(),
  organizationId: randomUUID(),
  url: 'https://hooks.example.com/coffer',
  description: 'ops',
  eventTypes: ['secret.created', 'version.created'],
  projectId: null,
  pathPrefix: '/app',
  enabled: true,
  sealedSecret: randomBytes(61),
  cursor: 0,
  attempts: 0,
  nextAttemptAt: 1_000,
  firstFailureAt: null,
  lastError: null,
  failing: false,
  lastDeliveredAt: null,
  createdAt: 1_000,
  updatedAt: 1_000,
  ...overrides,
});

const comparable = (record: Webhook | null) => record && { ...record, sealedSecret: Buffer.from(record.sealedSecret).toString('hex') };

export const eventCases = (storage: StorageRef): void => {
  it('appends events with increasing sequences and lists them in order, every field as written', async () => {
    const organizationId = randomUUID();
    const first = await storage().events.appendEvent(eventIn({ organizationId, revision: 3, details: { days: 7, reason: null } }));
    const second = await storage().events.appendEvent(eventIn({ organizationId, type: 'version.created', revision: 1 }));
    assert.ok(second.sequence > first.sequence);
    assert.equal(await storage().events.headSequence() >= second.sequence, true);
    const listed = await storage().events.listEvents({ organizationId, after: 0, limit: 10 });
    assert.deepEqual(listed, [first, second]);
    assert.deepEqual(listed[0]?.details, { days: 7, reason: null });
    assert.deepEqual(await storage().events.listEvents({ organizationId, after: first.sequence, limit: 10 }), [second]);
    assert.deepEqual(await storage().events.listEvents({ organizationId, after: 0, upTo: first.sequence, limit: 10 }), [first]);
    assert.deepEqual(await storage().events.listEvents({ organizationId, after: 0, limit: 1 }), [first]);
  });

  it('gives concurrent appends distinct, gapless sequences', async () => {
    const organizationId = randomUUID();
    const appended = await Promise.all(Array.from({ length: 20 }, () => storage().events.appendEvent(eventIn({ organizationId }))));
    const sequences = appended.map((event) => event.sequence).sort((a, b) => a - b);
    assert.equal(new Set(sequences).size, 20);
    const listed = await storage().events.listEvents({ organizationId, after: 0, limit: 100 });
    assert.deepEqual(listed.map((event) => event.sequence), sequences);
  });

  it('filters by organization, region, projects, whole path segments and types', async () => {
    const organizationId = randomUUID();
    const [p1, p2] = [randomUUID(), randomUUID()];
    const a = await storage().events.appendEvent(eventIn({ organizationId, projectId: p1, path: '/prod/db' }));
    const b = await storage().events.appendEvent(eventIn({ organizationId, projectId: p2, path: '/production/db', type: 'secret.updated' }));
    const c = await storage().events.appendEvent(eventIn({ organizationId, projectId: p1, path: '/prod', region: 'nl-ams' }));
    await storage().events.appendEvent(eventIn({ path: '/prod/db' }));
    const ids = async (filter: Record<string, unknown>) =>
      (await storage().events.listEvents({ organizationId, after: 0, limit: 10, ...filter })).map((event) => event.id);
    assert.deepEqual(await ids({}), [a.id, b.id, c.id]);
    assert.deepEqual(await ids({ region: 'fr-par' }), [a.id, b.id]);
    assert.deepEqual(await ids({ projectIds: [p1] }), [a.id, c.id]);
    assert.deepEqual(await ids({ projectIds: [] }), []);
    assert.deepEqual(await ids({ pathPrefix: '/prod' }), [a.id, c.id]);
    assert.deepEqual(await ids({ pathPrefix: '/prod/' }), [a.id]);
    assert.deepEqual(await ids({ types: ['secret.updated'] }), [b.id]);
  });

  it('keeps webhooks as written, lists them per organization and updates their settings only', async () => {
    const written = webhook({ projectId: randomUUID() });
    await storage().events.insertWebhook(written);
    await storage().events.insertWebhook(webhook());
    assert.deepEqual(comparable(await storage().events.getWebhook(written.id)), comparable(written));
    assert.deepEqual((await storage().events.listWebhooks(written.organizationId)).map((row) => row.id), [written.id]);
    const updated = await storage().events.updateWebhook(written.id, (row) => ({ ...row, enabled: false, eventTypes: [], pathPrefix: null, cursor: 99, updatedAt: 2_000 }));
    assert.equal(updated.enabled, false);
    const stored = await storage().events.getWebhook(written.id);
    assert.deepEqual([stored?.enabled, stored?.eventTypes, stored?.pathPrefix, stored?.cursor], [false, [], null, 0]);
    await assert.rejects(storage().events.updateWebhook(randomUUID(), (row) => row), (error: unknown) => error instanceof AppError && error.code === 'not_found');
    assert.equal(await storage().events.deleteWebhook(written.id), true);
    assert.equal(await storage().events.deleteWebhook(written.id), false);
    assert.equal(await storage().events.getWebhook(written.id), null);
  });

  it('finds due subscriptions behind the head and records deliveries only from the expected cursor', async () => {
    const due = webhook({ nextAttemptAt: 10 });
    const later = webhook({ nextAttemptAt: 9_000_000_000_000_000 });
    const disabled = webhook({ enabled: false, nextAttemptAt: 10 });
    const caughtUp = webhook({ nextAttemptAt: 10, cursor: 50 });
    for (const row of [due, later, disabled, caughtUp]) {
      await storage().events.insertWebhook(row);
    }
    const found = new Set((await storage().events.findDueWebhooks(1_000, 50, 1_000)).map((row) => row.id));
    assert.ok(found.has(due.id));
    assert.equal(found.has(later.id) || found.has(disabled.id) || found.has(caughtUp.id), false);
    const state = { cursor: 7, attempts: 0, nextAttemptAt: 1_000, firstFailureAt: null, lastError: null, failing: false, lastDeliveredAt: 1_000 };
    assert.equal(await storage().events.recordDelivery(due.id, 0, state), true);
    // A second process with the old cursor changes nothing.
    assert.equal(await storage().events.recordDelivery(due.id, 0, { ...state, cursor: 8 }), false);
    const failed = { ...state, attempts: 3, nextAttemptAt: 5_000, firstFailureAt: 900, lastError: 'HTTP 500', failing: true };
    assert.equal(await storage().events.recordDelivery(due.id, 7, failed), true);
    const stored = await storage().events.getWebhook(due.id);
    assert.deepEqual(
      [stored?.cursor, stored?.attempts, stored?.nextAttemptAt, stored?.firstFailureAt, stored?.lastError, stored?.failing, stored?.lastDeliveredAt],
      [7, 3, 5_000, 900, 'HTTP 500', true, 1_000],
    );
  });
};
