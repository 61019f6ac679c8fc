import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { scalewayHttp } from '../helpers/scaleway-http.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { createSoftHsmToken, type SoftHsmToken } from '../helpers/softhsm.js';

/**
 * docs/hsm.md's procedure for several processes on one PostgreSQL: phase 1 gives every
 * process both keys with the file key still primary; phase 2 makes the HSM primary, one
 * process at a time. A process still in phase 1 reads what the first one moved.
 */
describe('two processes on PostgreSQL moving the root key into the HSM', () => {
  let token: SoftHsmToken;
  let database: TestDatabase;
  const fileKey = randomBytes(32).toString('base64');
  const running: TestServer[] = [];
  const written: { id: string; value: string }[] = [];
  let identity: TestServer | undefined;

  const start = async (env: Record<string, string>): Promise<TestServer> => {
    const options = { storage: 'postgres' as const, postgresUrl: database.url, env };
    const server = await startServer(identity ? { ...options, identity } : options);
    identity ??= server;
    running.push(server);
    return server;
  };
  const stop = async (server: TestServer) => {
    assert.equal(await server.stop(), 0);
    running.splice(running.indexOf(server), 1);
  };
  const readsAll = async (server: TestServer) => {
    for (const { id, value } of written) {
      const [region = '', secretId = ''] = id.split(':');
      const read = await scalewayHttp(server, region).access(secretId);
      assert.equal(read.status, 200, read.text);
      assert.equal(read.data, value);
    }
  };

  before(async () => {
    token = await createSoftHsmToken('coffer-two');
    database = await createTestDatabase();
  });
  after(async () => {
    for (const server of [...running]) {
      await server.stop();
    }
    await database.drop();
    token.remove();
  });

  it('moves online: a phase-1 process reads the KEKs the phase-2 process re-wrapped, then both run on the HSM alone', async () => {
    const first = await start({ COFFER_ROOT_KEY: fileKey });
    for (const region of ['fr-par', 'nl-ams', 'pl-waw']) {
      const api = scalewayHttp(first, region);
      const id = await api.createSecret({ name: `two-${region}` });
      await api.addVersion(id, `value in ${region}`);
      written.push({ id: `${region}:${id}`, value: `value in ${region}` });
    }
    await stop(first);

    const phaseOne = { COFFER_ROOT_KEY: fileKey, ...token.env, COFFER_ROOT_KEY_PRIMARY: 'file' };
    const a = await start(phaseOne);
    const b = await start(phaseOne);
    assert.doesNotMatch(a.output() + b.output(), /Root key migration: re-wrapping/);
    await readsAll(a);
    await stop(a);

    // Phase 2 on A only: it moves everything; B, still in phase 1, has no KEK cached yet.
    const movedBy = await start({ COFFER_ROOT_KEY: fileKey, ...token.env });
    assert.match(movedBy.output(), /Root key migration: re-wrapping \d+ values from the root key in COFFER_ROOT_KEY to the HSM/);
    await readsAll(b);
    await readsAll(movedBy);
    await stop(b);
    const bPhaseTwo = await start({ COFFER_ROOT_KEY: fileKey, ...token.env });
    assert.match(bPhaseTwo.output(), /Nothing is wrapped by the root key in COFFER_ROOT_KEY any more/);
    await stop(bPhaseTwo);
    await stop(movedBy);

    const hsmOnly = [await start({ ...token.env }), await start({ ...token.env })];
    for (const server of hsmOnly) {
      await readsAll(server);
    }
  });
});
