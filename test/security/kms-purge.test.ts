import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { ENGINES, startServerOn } from '../helpers/server.js';
import { b64, eventually, unb64 } from '../helpers/wire.js';

type Engine = (typeof ENGINES)[number];

/** Reads the store behind a running server directly, as someone with disk access would. */
const rawQuery = async <T>(engine: Engine, dataDir: string, url: string | undefined, sql: string, params: unknown[] = []): Promise<T[]> => {
  if (engine === 'sqlite') {
    const db = new Database(join(dataDir, 'coffer.db'), { readonly: true });
    try {
      return db.prepare(sql.replace(/\$\d+/g, '?')).all(...params) as T[];
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
};

/**
 * A forced deletion of a key that protects secrets, then its purge: the secrets' data is
 * unreadable for good, and neither its ciphertexts, its data keys nor the key's material
 * are left in the store's bytes.
 */
for (const engine of ENGINES) {
  describe(`purging a customer-managed key on ${engine}`, () => {
    let started: Awaited<ReturnType<typeof startServerOn>>;
    // Our own folder: the server would remove one it made when it stops, before the scan.
    const dataDir = mkdtempSync(join(tmpdir(), 'coffer-kms-purge-'));
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${started.server.url}${path}`, {
        method,
        headers: { 'x-auth-token': started.server.secretKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
    };
    const SCW = '/secret-manager/v1beta1/regions/fr-par';
    const KMS = '/key-manager/v1alpha1/regions/fr-par';

    before(async () => {
      // No retention window and a one-second job: a forced deletion is purged at once.
      started = await startServerOn(engine, { dataDir, env: { COFFER_DELETION_RETENTION_SECONDS: '0', COFFER_MAINTENANCE_INTERVAL_SECONDS: '1' } });
    });
    after(async () => {
      await started.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('makes the data unreadable forever and removes every byte of it and of the key', async () => {
      const { server, database } = started;
      const key = await call('POST', `${KMS}/keys`, { project_id: server.projectId, name: 'shredded', unprotected: true });
      const keyId = String(key.json?.id);
      const secret = await call('POST', `${SCW}/secrets`, { name: 'under-key', project_id: server.projectId, key_id: keyId });
      const secretId = String(secret.json?.id);
      const control = await call('POST', `${SCW}/secrets`, { name: 'default-key', project_id: server.projectId });
      const controlId = String(control.json?.id);
      for (const id of [secretId, controlId]) {
        for (const value of ['first value', 'second value']) {
          assert.equal((await call('POST', `${SCW}/secrets/${id}/versions`, { data: b64(value) })).status, 200);
        }
      }
      assert.equal(unb64((await call('GET', `${SCW}/secrets/${secretId}/versions/2/access`)).json?.data), 'second value');

      const query = <T>(sql: string, params: unknown[] = []) => rawQuery<T>(engine, server.dataDir, database?.url, sql, params);
      const doomed = [
        ...(await query<{ ciphertext: Buffer; wrapped_dek: Buffer }>('SELECT ciphertext, wrapped_dek FROM secret_versions WHERE secret_id = $1', [secretId])).flatMap(
          (row) => [row.ciphertext, row.wrapped_dek],
        ),
        ...(await query<{ wrapped_material: Buffer }>('SELECT wrapped_material FROM kms_key_versions WHERE key_id = $1', [keyId])).map((row) => row.wrapped_material),
      ];
      const kept = (await query<{ ciphertext: Buffer }>('SELECT ciphertext FROM secret_versions WHERE secret_id = $1', [controlId])).map((row) => row.ciphertext);
      assert.equal(doomed.length, 5);
      assert.ok(doomed.every((bytes) => Buffer.isBuffer(bytes) && bytes.length >= 32));

      const refused = await call('DELETE', `${KMS}/keys/${keyId}`);
      assert.equal(refused.status, 412);
      assert.match(String(refused.json?.help_message), /protects 1 secret:/);
      assert.equal((await call('DELETE', `${KMS}/keys/${keyId}?force=true`)).status, 204);
      assert.ok(await eventually(async () => (await call('GET', `${KMS}/keys/${keyId}`)).status === 404, 10_000), 'the key was not purged within 10 s');

      for (const revision of ['1', '2', 'latest']) {
        const read = await call('GET', `${SCW}/secrets/${secretId}/versions/${revision}/access`);
        assert.equal(read.status, 412, JSON.stringify(read.json));
        assert.equal(read.json?.precondition, 'secret_version_deleted');
      }
      assert.equal((await call('POST', `${KMS}/keys/${keyId}/restore`)).status, 404);
      assert.equal(unb64((await call('GET', `${SCW}/secrets/${controlId}/versions/2/access`)).json?.data), 'second value');

      // Stopping the server checkpoints SQLite's WAL into the file, so every byte is in one place.
      await server.stop();
      if (engine === 'sqlite') {
        const files = readdirSync(server.dataDir).map((file) => readFileSync(join(server.dataDir, file)));
        for (const bytes of doomed) {
          assert.equal(files.some((file) => file.includes(bytes)), false, 'purged bytes are still in the SQLite files');
        }
        assert.ok(kept.every((bytes) => files.some((file) => file.includes(bytes))), 'the scan would have found bytes that are there');
      } else {
        const tables = await query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
        const values = (
          await Promise.all(tables.map(({ table_name: table }) => query<Record<string, unknown>>(`SELECT * FROM ${table}`)))
        ).flatMap((rows) => rows.flatMap((row) => Object.values(row).filter((value): value is Buffer => Buffer.isBuffer(value))));
        for (const bytes of doomed) {
          assert.equal(values.some((value) => value.includes(bytes)), false, 'purged bytes are still in PostgreSQL');
        }
        assert.ok(kept.every((bytes) => values.some((value) => value.includes(bytes))), 'the scan would have found bytes that are there');
      }
    });
  });
}
