import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { startServer, type TestServer } from '../helpers/server.js';

const MARKER = 'fail-closed-marker-51c2';
const b64 = (text: string) => Buffer.from(text).toString('base64');

/** Makes the trail's store refuse every insert, as a full disk would, and lifts the refusal. */
interface Breaker {
  breakTrail(): Promise<void>;
  repair(): Promise<void>;
}

const sqliteBreaker = (dataDir: string): Breaker => {
  const db = new Database(join(dataDir, 'audit.db'));
  db.pragma('busy_timeout = 5000');
  return {
    breakTrail: async () => {
      db.exec("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    },
    repair: async () => {
      db.exec('DROP TRIGGER refuse_audit');
      db.close();
    },
  };
};

const postgresBreaker = async (url: string): Promise<Breaker> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    breakTrail: async () => {
      await client.query("CREATE FUNCTION refuse_audit() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql");
      await client.query('CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_audit()');
    },
    repair: async () => {
      await client.query('DROP TRIGGER refuse_audit ON audit_events');
      await client.end();
    },
  };
};

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`audit trail fails closed on ${engine}`, () => {
    let database: TestDatabase | undefined;
    let server: TestServer;
    let secretId = '';
    const SCW = '/secret-manager/v1beta1/regions/fr-par';
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { 'x-auth-token': server.secretKey, 'x-vault-token': server.secretKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, text: await response.text() };
    };

    before(async () => {
      database = engine === 'postgres' ? await createTestDatabase() : undefined;
      server = await startServer({ storage: engine, ...(database ? { postgresUrl: database.url } : {}) });
      const created = await call('POST', `${SCW}/secrets`, { name: 'db', path: '/prod', type: 'key_value' });
      secretId = String((JSON.parse(created.text) as { id: string }).id);
      await call('POST', `${SCW}/secrets/${secretId}/versions`, { data: b64(JSON.stringify({ password: MARKER })) });
    });
    after(async () => {
      await server.stop();
      await database?.drop();
    });

    it('records a request whatever bytes it carries, and stays writable', async () => {
      const odd = await call('GET', `${SCW.replace('fr-par', 'fr-%00par')}/secrets/${secretId}?x=%00`);
      assert.equal(odd.status, 400);
      const after = await call('GET', `${SCW}/secrets/${secretId}`);
      assert.equal(after.status, 200, 'the trail kept working after an event holding NUL');
    });

    it('answers 503 with no payload while events cannot be made durable, changes nothing, then recovers', async () => {
      const breaker = database ? await postgresBreaker(database.url) : sqliteBreaker(server.dataDir);
      await breaker.breakTrail();
      try {
        const scaleway = await call('GET', `${SCW}/secrets/${secretId}/versions/latest/access`);
        assert.equal(scaleway.status, 503);
        assert.equal((JSON.parse(scaleway.text) as { type: string }).type, 'service_unavailable');
        assert.ok(!scaleway.text.includes(b64(JSON.stringify({ password: MARKER }))), 'no payload');
        const vault = await call('GET', '/v1/secret/data/prod/db');
        assert.equal(vault.status, 503);
        assert.match(vault.text, /"errors":\["the audit trail cannot record/);
        assert.ok(!vault.text.includes(MARKER));
        const write = await call('POST', `${SCW}/secrets`, { name: 'during-outage', path: '/' });
        assert.equal(write.status, 503, 'refused before it runs');
      } finally {
        await breaker.repair();
      }
      let recovered = 0;
      for (let attempt = 0; attempt < 50 && recovered !== 200; attempt += 1) {
        await sleep(200);
        recovered = (await call('GET', `${SCW}/secrets/${secretId}/versions/latest/access`)).status;
      }
      assert.equal(recovered, 200, 'serves again once the trail is writable');
      const listed = await call('GET', `${SCW}/secrets?name=during-outage`);
      assert.equal((JSON.parse(listed.text) as { total_count: number }).total_count, 0, 'the refused write did not happen');
      const verified = await call('GET', '/coffer/v1/audit/verify');
      assert.equal((JSON.parse(verified.text) as { ok: boolean }).ok, true, verified.text);
    });
  });
}
