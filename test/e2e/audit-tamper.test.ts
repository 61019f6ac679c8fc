import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { ROOT_DIR, startServer, type TestServer } from '../helpers/server.js';

type Row = Record<string, unknown>;

/** Direct access to the trail's tables, as an intruder with database access would have. */
interface RawTrail {
  all(sql: string, params?: unknown[]): Promise<Row[]>;
  run(sql: string, params?: unknown[]): Promise<void>;
  close(): Promise<void>;
}

const sqliteTrail = (dataDir: string): RawTrail => {
  const db = new Database(join(dataDir, 'audit.db'));
  db.pragma('busy_timeout = 5000');
  return {
    all: async (sql, params = []) => db.prepare(sql).all(...params) as Row[],
    run: async (sql, params = []) => {
      db.prepare(sql).run(...params);
    },
    close: async () => {
      db.close();
    },
  };
};

const postgresTrail = async (url: string): Promise<RawTrail> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const numbered = (sql: string) => {
    let index = 0;
    return sql.replace(/\?/g, () => `$${++index}`);
  };
  return {
    all: async (sql, params = []) => (await client.query(numbered(sql), params)).rows as Row[],
    run: async (sql, params = []) => {
      await client.query(numbered(sql), params);
    },
    close: () => client.end(),
  };
};

interface Report {
  ok: boolean;
  chains: number;
  firstBreak: { chainId: string; seq: number; message: string } | null;
}

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`audit tamper detection on ${engine}`, () => {
    let database: TestDatabase | undefined;
    let killed: TestServer;
    let live: TestServer;
    let trail: RawTrail;
    let killedChain = '';
    let liveChain = '';
    let dataDir = '';

    const verify = (): Report => {
      const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT_DIR, 'src/cli/index.ts'), 'audit', 'verify', '-o', 'json'], {
        env: { ...process.env, COFFER_ADDR: live.url, COFFER_SECRET_KEY: live.secretKey },
        encoding: 'utf8',
        timeout: 60_000,
      });
      const report = JSON.parse(result.stdout) as Report;
      assert.equal(result.status === 0, report.ok, result.stderr);
      if (!report.ok) {
        assert.match(result.stderr, /chain .* is broken at event \d+/, 'the CLI names the first broken link');
      }
      return report;
    };
    const expectBreak = (chainId: string, seq: number, message: RegExp) => {
      const report = verify();
      assert.equal(report.ok, false);
      assert.deepEqual([report.firstBreak?.chainId, report.firstBreak?.seq], [chainId, seq]);
      assert.match(report.firstBreak?.message ?? '', message);
    };
    const chainOf = async (server: TestServer): Promise<string> => {
      const request = await fetch(`${server.url}/iam/v1alpha1/applications`, { headers: { 'x-auth-token': server.secretKey } });
      await sleep(50);
      const rows = await trail.all('SELECT chain_id FROM audit_events WHERE request_id = ?', [request.headers.get('x-request-id')]);
      return String(rows[0]?.chain_id);
    };
    const eventsOf = (chainId: string, seqs: number[]) =>
      trail.all(`SELECT * FROM audit_events WHERE chain_id = ? AND seq IN (${seqs.map(() => '?').join(', ')}) ORDER BY seq`, [chainId, ...seqs]);
    const restore = async (rows: Row[]) => {
      for (const row of rows) {
        const columns = Object.keys(row);
        await trail.run(`INSERT INTO audit_events (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, Object.values(row));
      }
    };

    before(async () => {
      const env = { COFFER_AUDIT_CHECKPOINT_EVENTS: '5', COFFER_ROOT_KEY: Buffer.alloc(32, 9).toString('base64') };
      database = engine === 'postgres' ? await createTestDatabase() : undefined;
      // Our own directory: the SQLite store must outlive the killed process.
      dataDir = mkdtempSync(join(tmpdir(), 'coffer-tamper-'));
      const storage = { storage: engine, ...(database ? { postgresUrl: database.url } : {}), env, dataDir };
      killed = await startServer(storage);
      // PostgreSQL: two processes write at once, each its own chain. SQLite: one file, one process at a time.
      live = database ? await startServer({ ...storage, identity: killed }) : killed;
      trail = database ? await postgresTrail(database.url) : sqliteTrail(killed.dataDir);
      killedChain = await chainOf(killed);
      for (let index = 0; index < 22; index += 1) {
        await fetch(`${killed.url}/secret-manager/v1beta1/regions/fr-par/secrets?page=${index}`, { headers: { 'x-auth-token': killed.secretKey } });
        if (database) {
          await fetch(`${live.url}/v1/secret/metadata/?list=true`, { headers: { 'x-vault-token': live.secretKey } });
        }
      }
      await sleep(300);
      // Killed, not stopped: no closing checkpoint, so the tail after the last one is unsigned.
      await killed.stop('SIGKILL');
      if (!database) {
        await trail.close();
        live = await startServer({ ...storage, identity: killed });
        trail = sqliteTrail(live.dataDir);
      }
      liveChain = await chainOf(live);
    });
    after(async () => {
      await trail.close();
      await live.stop();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('verifies the untouched chains of every process', () => {
      const report = verify();
      assert.equal(report.ok, true, JSON.stringify(report.firstBreak));
      assert.ok(report.chains >= 2, JSON.stringify({ report, killedChain, liveChain, output: live.output() }));
      assert.notEqual(killedChain, liveChain);
    });

    it('catches an edited event', async () => {
      await trail.run('UPDATE audit_events SET status = 200, outcome = ? WHERE chain_id = ? AND seq = 7', ['success', killedChain]);
      const [original] = await eventsOf(killedChain, [8]);
      await trail.run('UPDATE audit_events SET actor_access_key = ? WHERE chain_id = ? AND seq = 8', ['SCWSOMEONEELSE00000', killedChain]);
      expectBreak(killedChain, 8, /edited/);
      await trail.run('UPDATE audit_events SET actor_access_key = ? WHERE chain_id = ? AND seq = 8', [original?.actor_access_key, killedChain]);
      assert.equal(verify().ok, true);
    });

    it('catches a deleted event', async () => {
      const rows = await eventsOf(killedChain, [9]);
      await trail.run('DELETE FROM audit_events WHERE chain_id = ? AND seq = 9', [killedChain]);
      expectBreak(killedChain, 9, /missing/);
      await restore(rows);
      assert.equal(verify().ok, true);
    });

    it('catches reordered events', async () => {
      const swap = async () => {
        await trail.run('UPDATE audit_events SET seq = -1 WHERE chain_id = ? AND seq = 3', [killedChain]);
        await trail.run('UPDATE audit_events SET seq = 3 WHERE chain_id = ? AND seq = 4', [killedChain]);
        await trail.run('UPDATE audit_events SET seq = 4 WHERE chain_id = ? AND seq = -1', [killedChain]);
      };
      await swap();
      expectBreak(killedChain, 3, /reordered|edited/);
      await swap();
      assert.equal(verify().ok, true);
    });

    it('catches a truncated tail after the last checkpoint', async () => {
      const [last] = await trail.all("SELECT MAX(seq) AS seq FROM audit_checkpoints WHERE chain_id = ? AND kind = 'periodic'", [killedChain]);
      const lastCheckpoint = Number(last?.seq);
      const tail = await trail.all('SELECT * FROM audit_events WHERE chain_id = ? AND seq > ? ORDER BY seq', [killedChain, lastCheckpoint]);
      assert.ok(tail.length > 0, 'the killed process left events after its last checkpoint');
      await trail.run('DELETE FROM audit_events WHERE chain_id = ? AND seq > ?', [killedChain, lastCheckpoint]);
      expectBreak(killedChain, lastCheckpoint + 1, /truncated/);
      await restore(tail);
      assert.equal(verify().ok, true);
    });

    it('catches a forged checkpoint', async () => {
      const [checkpoint] = await trail.all("SELECT * FROM audit_checkpoints WHERE chain_id = ? AND seq = 10 AND kind = 'periodic'", [killedChain]);
      assert.ok(checkpoint, 'a checkpoint every 5 events');
      const [other] = await eventsOf(killedChain, [11]);
      // Point the checkpoint at another event, keeping its signature: the signature no longer holds.
      await trail.run("UPDATE audit_checkpoints SET seq = 11, hash = ? WHERE chain_id = ? AND seq = 10 AND kind = 'periodic'", [other?.hash, killedChain]);
      expectBreak(killedChain, 11, /forged/);
      await trail.run("UPDATE audit_checkpoints SET seq = 10, hash = ? WHERE chain_id = ? AND seq = 11 AND kind = 'periodic'", [checkpoint.hash, killedChain]);
      assert.equal(verify().ok, true);
    });

    it("catches a deleted event in the running process's chain", async () => {
      const rows = await eventsOf(liveChain, [2]);
      await trail.run('DELETE FROM audit_events WHERE chain_id = ? AND seq = 2', [liveChain]);
      expectBreak(liveChain, 2, /missing/);
      await restore(rows);
      assert.equal(verify().ok, true);
    });
  });
}
