import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createIamAdminService, createIamService, type Actor, type IamAdminService } from '../../src/core/iam/index.js';
import { systemClock } from '../../src/shared/clock.js';
import { openStorage, type Storage } from '../../src/storage/index.js';

/** Users' passwords through the core over a real SQLite store: argon2id, constant work, last sign-in. */
describe('IAM users: password verification', () => {
  let storage: Storage;
  let admin: IamAdminService;
  let actor: Actor;
  const dataDir = mkdtempSync(join(tmpdir(), 'coffer-users-'));

  before(async () => {
    storage = await openStorage({ kind: 'sqlite', dataDir });
    const iam = createIamService({ store: storage.iam, clock: systemClock });
    const secretKey = randomUUID();
    await iam.bootstrap({ secretKey, accessKey: 'SCWUSERSTESTKEY00012' });
    actor = await iam.authenticate(secretKey);
    admin = createIamAdminService({ store: storage.iam, clock: systemClock });
  });
  after(async () => {
    await storage.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('accepts the right password only, for a known email in any case, and records the sign-in', async () => {
    const user = await admin.createUser(actor, { email: 'Ada@Example.com', password: 'analytical-engine', username: '', firstName: '', lastName: '', tags: [] });
    assert.equal(user.email, 'ada@example.com');
    assert.match(user.passwordHash ?? '', /^\$argon2id\$/);
    assert.equal(user.lastLoginAt, null);

    const signedIn = await admin.verifyCredentials('ADA@example.com', 'analytical-engine');
    assert.equal(signedIn?.id, user.id);
    assert.ok(signedIn?.lastLoginAt, 'the sign-in time is kept');
    assert.equal(await admin.verifyCredentials('ada@example.com', 'analytical-engine '), null);
    assert.equal(await admin.verifyCredentials('nobody@example.com', 'analytical-engine'), null);
    assert.equal(await admin.verifyCredentials('not an email', 'x'), null);
  });

  it('refuses sign-in for a user without a password, and a changed password replaces the old one', async () => {
    const user = await admin.createUser(actor, { email: 'grace@example.com', password: null, username: '', firstName: '', lastName: '', tags: [] });
    assert.equal(await admin.verifyCredentials('grace@example.com', ''), null);
    await admin.setPassword(actor, user.id, 'first-password');
    await admin.setPassword(actor, user.id, 'second-password');
    assert.equal(await admin.verifyCredentials('grace@example.com', 'first-password'), null);
    assert.equal((await admin.verifyCredentials('grace@example.com', 'second-password'))?.id, user.id);
  });
});
