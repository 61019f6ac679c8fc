import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLifecycleService, type LifecycleService } from '../../src/core/secrets/index.js';
import { MICROS_PER_SECOND } from '../../src/shared/clock.js';
import { AppError } from '../../src/shared/errors.js';
import { openKvHarness, type KvHarness } from './kv-harness.js';

const precondition = (name: string) => (error: unknown) => error instanceof AppError && error.code === 'failed_precondition' && error.details.precondition === name;

/** Expiry and deactivation of whole secrets, in process, on a clock the test moves. */
describe('secret lifecycle on the clock', () => {
  let harness: KvHarness;
  let lifecycle: LifecycleService;
  const accessLatest = async (secretId: string): Promise<string> => (await harness.access.access(harness.actor, 'fr-par', secretId, 'latest')).data.toString();
  const newSecret = async (name: string) => {
    const secret = await harness.secrets.create(harness.actor, 'fr-par', { name, type: 'opaque' });
    await harness.versions.create(harness.actor, 'fr-par', secret.id, { data: Buffer.from('v1') });
    return secret.id;
  };

  before(async () => {
    harness = await openKvHarness();
    lifecycle = createLifecycleService({ store: harness.storage.secrets, iam: { authorize: () => {} }, clock: harness.clock, regions: ['fr-par'] });
  });
  after(async () => harness.close());

  it('serves a secret until its expiration, then refuses it naming the reason, with no scheduler involved', async () => {
    const id = await newSecret('expiring');
    const now = harness.clock.nowMicros();
    await assert.rejects(lifecycle.setExpiration(harness.actor, 'fr-par', id, now - 1), (error) => error instanceof AppError && error.code === 'invalid_argument');
    await lifecycle.setExpiration(harness.actor, 'fr-par', id, now + 60 * MICROS_PER_SECOND);
    assert.equal(await accessLatest(id), 'v1');
    harness.clock.advanceSeconds(61);
    await assert.rejects(accessLatest(id), precondition('secret_expired'));
    await lifecycle.setExpiration(harness.actor, 'fr-par', id, null);
    assert.equal(await accessLatest(id), 'v1', 'removing the expiration makes it readable again');
  });

  it('refuses reads of a disabled secret until it is enabled, and refuses double transitions', async () => {
    const id = await newSecret('deactivated');
    const disabled = await lifecycle.disable(harness.actor, 'fr-par', id);
    assert.equal(disabled.disabledAt, harness.clock.nowMicros());
    await assert.rejects(accessLatest(id), precondition('secret_disabled'));
    await assert.rejects(lifecycle.disable(harness.actor, 'fr-par', id), precondition('secret_already_disabled'));
    await lifecycle.enable(harness.actor, 'fr-par', id);
    assert.equal(await accessLatest(id), 'v1');
    await assert.rejects(lifecycle.enable(harness.actor, 'fr-par', id), precondition('secret_not_disabled'));
  });
});
