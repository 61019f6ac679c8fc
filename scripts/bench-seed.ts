// Seeds a store with many secrets fast, for `npm run bench -- --million`: the secrets'
// rows are copied in SQL from one made through the API (same shape, every column, so a
// later migration's columns are seeded too), and each gets one version encrypted for
// real, with its own data key, by the same crypto the server uses: every seeded secret
// can be accessed and decrypts. On SQLite the server must be stopped (one writer).
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { dataKeyAad, generateKey, keyEncryptionKeyAad, open, payloadAad, seal } from '../src/crypto/index.js';

/** The id of the n-th seeded secret: a valid UUID the SQL and the client both compute. */
export const seededSecretId = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** Folders the seeded secrets are spread over, evenly: a list by path sees count ÷ FOLDERS of them. */
export const SEED_FOLDERS = 1_000;
export const seededPayload = (n: number): string => `seeded payload ${n}`;

const BATCH = 10_000;

interface Template {
  kekId: string;
  kek: Buffer;
}

interface Batch {
  n: number[];
  dekId: string[];
  wrapped: Buffer[];
  ciphertext: Buffer[];
}

/** Versions first..last, each sealed under a fresh data key wrapped by the template's KEK. */
const sealBatch = ({ kekId, kek }: Template, first: number, last: number): Batch => {
  const batch: Batch = { n: [], dekId: [], wrapped: [], ciphertext: [] };
  for (let n = first; n <= last; n += 1) {
    const secretId = seededSecretId(n);
    const dekId = randomUUID();
    const dek = generateKey();
    batch.n.push(n);
    batch.dekId.push(dekId);
    batch.wrapped.push(seal(kek, dek, dataKeyAad(kekId, secretId, 1, dekId)));
    batch.ciphertext.push(seal(dek, Buffer.from(seededPayload(n)), payloadAad(secretId, 1, dekId)));
  }
  return batch;
};

/** The SELECT list copying the template row, with the seeded columns replaced. */
const selectList = (columns: readonly string[], replaced: Record<string, string>): string =>
  columns.map((column) => replaced[column] ?? `t.${column}`).join(', ');

const secretColumnsSql = (idSql: string): Record<string, string> => ({
  id: idSql,
  name: "'s-' || n",
  path: `'/bench/f' || (n % ${SEED_FOLDERS})`,
  version_count: '1',
  created_at: 't.created_at + n',
  updated_at: 't.created_at + n',
});

const unwrapKek = (rootKey: Buffer, row: { id: string; project_id: string; region: string; wrapped_key: Buffer }): Template => ({
  kekId: row.id,
  kek: open(rootKey, row.wrapped_key, keyEncryptionKeyAad(row.id, row.project_id, row.region)),
});

const KEK_OF_TEMPLATE =
  'SELECT k.id, k.project_id, k.region, k.wrapped_key FROM secret_versions v JOIN key_encryption_keys k ON k.id = v.kek_id WHERE v.secret_id = $1 AND v.revision = 1';

export const seedPostgres = async (url: string, templateId: string, rootKey: Buffer, count: number, log: (line: string) => void): Promise<void> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const kekRow = (await client.query<{ id: string; project_id: string; region: string; wrapped_key: Buffer }>(KEK_OF_TEMPLATE, [templateId])).rows[0];
    if (!kekRow) {
      throw new Error('the template secret has no version under a key-encryption key');
    }
    const template = unwrapKek(rootKey, kekRow);
    const columns = async (table: string) =>
      (await client.query<{ column_name: string }>('SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position', [table])).rows.map(
        (row) => row.column_name,
      );
    const idSql = "'00000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0')";
    const secretColumns = await columns('secrets');
    const started = Date.now();
    await client.query(
      `INSERT INTO secrets (${secretColumns.join(', ')}) SELECT ${selectList(secretColumns, secretColumnsSql(idSql))}
       FROM secrets t CROSS JOIN generate_series(1, $2::int) AS n WHERE t.id = $1`,
      [templateId, count],
    );
    log(`  ${count} secret rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const versionColumns = await columns('secret_versions');
    const replaced = { secret_id: idSql, dek_id: 'u.dek_id', wrapped_dek: 'u.wrapped_dek', ciphertext: 'u.ciphertext', created_at: 't.created_at + n', updated_at: 't.created_at + n' };
    const insert = `INSERT INTO secret_versions (${versionColumns.join(', ')}) SELECT ${selectList(versionColumns, replaced)}
      FROM unnest($2::int[], $3::text[], $4::bytea[], $5::bytea[]) AS u(n, dek_id, wrapped_dek, ciphertext)
      CROSS JOIN secret_versions t WHERE t.secret_id = $1 AND t.revision = 1`;
    for (let first = 1; first <= count; first += BATCH) {
      const batch = sealBatch(template, first, Math.min(count, first + BATCH - 1));
      await client.query(insert, [templateId, batch.n, batch.dekId, batch.wrapped, batch.ciphertext]);
    }
    log(`  ${count} versions sealed and inserted in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // As autovacuum would soon after such an insert: statistics, and the visibility map
    // that lets an index answer a count alone.
    await client.query('VACUUM ANALYZE secrets');
    await client.query('VACUUM ANALYZE secret_versions');
  } finally {
    await client.end();
  }
};

export const seedSqlite = (dataDir: string, templateId: string, rootKey: Buffer, count: number, log: (line: string) => void): void => {
  const db = new Database(join(dataDir, 'coffer.db'));
  try {
    const kekRow = db.prepare(KEK_OF_TEMPLATE.replace('$1', '?')).get(templateId) as { id: string; project_id: string; region: string; wrapped_key: Buffer } | undefined;
    if (!kekRow) {
      throw new Error('the template secret has no version under a key-encryption key');
    }
    const template = unwrapKek(rootKey, kekRow);
    const columns = (table: string) => (db.pragma(`table_info(${table})`) as { name: string }[]).map((row) => row.name);
    const idSql = "printf('00000000-0000-4000-8000-%012x', n)";
    const secretColumns = columns('secrets');
    const started = Date.now();
    db.prepare(
      `WITH RECURSIVE series(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM series WHERE n < ?)
       INSERT INTO secrets (${secretColumns.join(', ')}) SELECT ${selectList(secretColumns, secretColumnsSql(idSql))}
       FROM secrets t CROSS JOIN series WHERE t.id = ?`,
    ).run(count, templateId);
    log(`  ${count} secret rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const versionColumns = columns('secret_versions');
    const replaced = { secret_id: '@secretId', dek_id: '@dekId', wrapped_dek: '@wrapped', ciphertext: '@ciphertext', created_at: 't.created_at + @n', updated_at: 't.created_at + @n' };
    const insert = db.prepare(
      `INSERT INTO secret_versions (${versionColumns.join(', ')}) SELECT ${selectList(versionColumns, replaced)}
       FROM secret_versions t WHERE t.secret_id = @templateId AND t.revision = 1`,
    );
    const insertBatch = db.transaction((batch: Batch) => {
      batch.n.forEach((n, index) => {
        insert.run({ n, secretId: seededSecretId(n), dekId: batch.dekId[index], wrapped: batch.wrapped[index], ciphertext: batch.ciphertext[index], templateId });
      });
    });
    for (let first = 1; first <= count; first += BATCH) {
      insertBatch(sealBatch(template, first, Math.min(count, first + BATCH - 1)));
    }
    log(`  ${count} versions sealed and inserted in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    db.exec('ANALYZE');
  } finally {
    db.close();
  }
};
