import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createTestDatabase } from '../helpers/postgres.js';
import { ENGINES, startServer, type StartOptions, type TestServer } from '../helpers/server.js';
import { checkAcknowledged, checkAuditChain, checkVersionSequences } from './store-check.js';
import { startWriteLoad, type LoadTarget } from './write-load.js';

const KILLS = 20;
const CLIENTS = 6;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A random moment in the write load: the kill lands mid-request, mid-transaction or between. */
const randomMoment = () => 150 + Math.floor(Math.random() * 650);

for (const engine of ENGINES) {
  describe(`kill -9 under a write load (${engine})`, () => {
    it(`loses no acknowledged version, tears none, keeps revisions gapless and the audit chain whole across ${KILLS} kills`, async (t) => {
      const database = engine === 'postgres' ? await createTestDatabase() : undefined;
      const dataDir = mkdtempSync(join(tmpdir(), 'coffer-crash-'));
      const options: StartOptions = {
        storage: engine,
        dataDir,
        env: { COFFER_ROOT_KEY: Buffer.alloc(32, 9).toString('base64') },
        ...(database ? { postgresUrl: database.url } : {}),
      };
      let server: TestServer = await startServer(options);
      const identity = server;
      let target: LoadTarget | null = server;
      const load = startWriteLoad(() => target, CLIENTS);
      const figures = { kills: 0, versionReads: 0, sequenceChecks: 0, unacknowledgedAtEnd: 0, auditEvents: 0 };
      try {
        for (let kill = 1; kill <= KILLS; kill += 1) {
          await pause(randomMoment());
          target = null;
          await server.stop('SIGKILL');
          figures.kills += 1;
          server = await startServer({ ...options, identity });
          target = server;
          await load.pause();
          // What was acknowledged before the kill is checked on the restarted process.
          const touched = load.takeTouched();
          figures.versionReads += await checkAcknowledged(server, touched);
          await checkVersionSequences(server, touched);
          figures.sequenceChecks += touched.length;
          figures.auditEvents = await checkAuditChain(server);
          load.resume();
        }
        await load.pause();
        await load.stop();
        // And once more at the end, everything acknowledged since the start.
        figures.versionReads += await checkAcknowledged(server, load.secrets);
        figures.unacknowledgedAtEnd = await checkVersionSequences(server, load.secrets);
        figures.sequenceChecks += load.secrets.length;
        figures.auditEvents = await checkAuditChain(server);
      } finally {
        await load.stop();
        await server.stop();
        await database?.drop();
        rmSync(dataDir, { recursive: true, force: true });
      }
      const { requests, acknowledgedSecrets, acknowledgedVersions, connectionErrors, serverErrors, duplicateRevisions } = load.figures;
      t.diagnostic(
        `${engine}: ${figures.kills} kills; ${requests} requests, ${acknowledgedSecrets} secrets and ${acknowledgedVersions} versions acknowledged, ` +
          `${connectionErrors} cut by a kill; after the restarts ${figures.versionReads} reads of acknowledged versions and ${figures.sequenceChecks} revision sequences checked; ` +
          `${figures.unacknowledgedAtEnd} versions committed without an answer (cut by a kill) all decrypt; the audit chain verifies over ${figures.auditEvents} events`,
      );
      assert.equal(figures.kills, KILLS);
      assert.deepEqual(duplicateRevisions, [], 'no revision was acknowledged twice');
      assert.deepEqual(serverErrors, [], 'no request was answered with a 5xx');
      assert.ok(acknowledgedVersions >= KILLS, `the load made progress: ${acknowledgedVersions} versions acknowledged`);
      assert.ok(connectionErrors > 0, 'some kills landed on requests in flight');
    });
  });
}
