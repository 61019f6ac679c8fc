import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createTestDatabase } from '../helpers/postgres.js';
import { ENGINES, startServer, type StartOptions, type TestServer } from '../helpers/server.js';
import { checkFeedMatchesStore } from './event-check.js';
import { checkVersionSequences } from './store-check.js';
import { startWriteLoad, type LoadTarget } from './write-load.js';

const KILLS = 8;
const CLIENTS = 4;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const randomMoment = () => 150 + Math.floor(Math.random() * 650);

// A change and its lifecycle event commit in one transaction: a kill can take both or
// neither, never the change without its event (the gap of publishing after commit).
for (const engine of ENGINES) {
  describe(`lifecycle events across kill -9 under a write load (${engine})`, () => {
    it(`has an event in the feed, in order, for every committed change and none for another, across ${KILLS} kills`, async (t) => {
      const database = engine === 'postgres' ? await createTestDatabase() : undefined;
      const dataDir = mkdtempSync(join(tmpdir(), 'coffer-crash-events-'));
      const options: StartOptions = {
        storage: engine,
        dataDir,
        env: { COFFER_ROOT_KEY: Buffer.alloc(32, 7).toString('base64') },
        ...(database ? { postgresUrl: database.url } : {}),
      };
      let server: TestServer = await startServer(options);
      const identity = server;
      let target: LoadTarget | null = server;
      const load = startWriteLoad(() => target, CLIENTS);
      let events = 0;
      try {
        for (let kill = 1; kill <= KILLS; kill += 1) {
          await pause(randomMoment());
          target = null;
          await server.stop('SIGKILL');
          server = await startServer({ ...options, identity });
          target = server;
          await load.pause();
          events = await checkFeedMatchesStore(server, load.secrets);
          load.resume();
        }
        await load.pause();
        await load.stop();
        await checkVersionSequences(server, load.secrets);
        events = await checkFeedMatchesStore(server, load.secrets);
      } finally {
        await load.stop();
        await server.stop();
        await database?.drop();
        rmSync(dataDir, { recursive: true, force: true });
      }
      const { acknowledgedSecrets, acknowledgedVersions, connectionErrors, serverErrors } = load.figures;
      t.diagnostic(`${engine}: ${KILLS} kills; ${acknowledgedSecrets} secrets and ${acknowledgedVersions} versions acknowledged, ${connectionErrors} requests cut; ${events} events in the feed, matching the store`);
      assert.deepEqual(serverErrors, [], 'no request was answered with a 5xx');
      assert.ok(acknowledgedVersions >= KILLS, `the load made progress: ${acknowledgedVersions} versions acknowledged`);
      assert.ok(connectionErrors > 0, 'some kills landed on requests in flight');
    });
  });
}
