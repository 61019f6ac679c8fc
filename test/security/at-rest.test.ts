import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { scalewayHttp } from '../helpers/scaleway-http.js';
import { ENGINES, startServerOn } from '../helpers/server.js';

/** Runs SQL against the store behind a running server, as an attacker with disk access would. */
const rawStore = (engine: string, dataDir: string, url: string | undefined) => ({
  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (engine === 'sqlite') {
      const db = new Database(join(dataDir, 'coffer.db'));
      try {
        const statement = db.prepare(sql.replace(/\$\d+/g, '?'));
        return statement.reader ? (statement.all(...params) as T[]) : (statement.run(...params), []);
      } finally {
        db.close();
      }
    }
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  },
});

for (const engine of ENGINES) {
  describe(`encryption at rest on ${engine}`, () => {
    let started: Awaited<ReturnType<typeof startServerOn>>;
    let api: ReturnType<typeof scalewayHttp>;
    const marker = `COFFER-MARKER-${randomBytes(8).toString('hex')}`;

    before(async () => {
      started = await startServerOn(engine);
      api = scalewayHttp(started.server);
    });
    after(async () => started.stop());

    it('never stores or logs a payload in clear', async () => {
      const id = await api.createSecret({ name: `marker-${engine}`, project_id: started.server.projectId });
      await api.addVersion(id, `prefix ${marker} suffix`);
      const kv = await api.createSecret({ name: `marker-kv-${engine}`, type: 'key_value' });
      await api.addVersion(kv, JSON.stringify({ password: marker }));
      assert.equal((await api.access(id)).data, `prefix ${marker} suffix`);
      const needle = Buffer.from(marker);
      if (engine === 'sqlite') {
        for (const file of readdirSync(started.server.dataDir)) {
          const bytes = readFileSync(join(started.server.dataDir, file));
          assert.equal(bytes.includes(needle), false, `${file} holds the marker in clear`);
        }
      } else {
        const store = rawStore(engine, '', started.database?.url);
        const tables = await store.query<{ table_name: string }>(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
        );
        assert.ok(tables.length > 3);
        for (const { table_name: table } of tables) {
          const rows = await store.query<Record<string, unknown>>(`SELECT * FROM ${table}`);
          for (const row of rows) {
            for (const value of Object.values(row)) {
              const bytes = Buffer.isBuffer(value) ? value : Buffer.from(String(value));
              assert.equal(bytes.includes(needle), false, `${table} holds the marker in clear`);
            }
          }
        }
      }
      assert.equal(started.server.output().includes(marker), false, 'the server output holds the marker');
    });

    it('refuses to return data whose ciphertext was moved to another version', async () => {
      const first = await api.createSecret({ name: `swap-a-${engine}` });
      const second = await api.createSecret({ name: `swap-b-${engine}` });
      await api.addVersion(first, 'first secret value');
      await api.addVersion(first, 'first secret value, revision 2');
      await api.addVersion(second, 'second secret value');
      const store = rawStore(engine, started.server.dataDir, started.database?.url);
      const swap = async (a: [string, number], b: [string, number]) => {
        const [rowA] = await store.query<{ ciphertext: Buffer }>('SELECT ciphertext FROM secret_versions WHERE secret_id = $1 AND revision = $2', a);
        const [rowB] = await store.query<{ ciphertext: Buffer }>('SELECT ciphertext FROM secret_versions WHERE secret_id = $1 AND revision = $2', b);
        assert.ok(rowA && rowB);
        await store.query('UPDATE secret_versions SET ciphertext = $1 WHERE secret_id = $2 AND revision = $3', [rowB.ciphertext, ...a]);
        await store.query('UPDATE secret_versions SET ciphertext = $1 WHERE secret_id = $2 AND revision = $3', [rowA.ciphertext, ...b]);
      };
      await swap([first, 1], [first, 2]);
      await swap([first, 2], [second, 1]);
      for (const [id, revision] of [[first, 1], [first, 2], [second, 1]] as const) {
        const read = await api.access(id, revision);
        assert.equal(read.data, null, `version ${id}/${revision} returned data after its ciphertext was swapped`);
        assert.equal(read.status, 500);
        assert.equal(read.json?.type, 'integrity_error');
        assert.match(String(read.json?.message), /integrity check/);
      }
      const untouched = await api.createSecret({ name: `swap-c-${engine}` });
      await api.addVersion(untouched, 'still fine');
      assert.equal((await api.access(untouched)).data, 'still fine');
    });
  });
}
