// Seeds a PostgreSQL store with many secrets fast, for `npm run bench -- --million`: the
// secrets' rows are copied from one made through the API (same shape, every column),
// and each gets one version encrypted for real, with its own data key, by the same
// crypto the server uses, so every one of them can be accessed and decrypts.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { dataKeyAad, generateKey, keyEncryptionKeyAad, open, payloadAad, seal } from '../src/crypto/index.js';

/** The id of the n-th seeded secret: a valid UUID the SQL and the client both compute. */
export const seededSecretId = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const ID_SQL = "'00000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0')";

/** Folders the seeded secrets are spread over, evenly: a list by path sees count ÷ FOLDERS of them. */
export const SEED_FOLDERS = 1_000;
export const seededPayload = (n: number): string => `seeded payload ${n}`;

const BATCH = 10_000;

const columnsOf = async (client: pg.Client, table: string): Promise<string[]> =>
  (await client.query<{ column_name: string }>('SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position', [table])).rows.map(
    (row) => row.column_name,
  );

/**
 * Copies the template secret (and its version 1) `count` times. Columns this script does
 * not name are copied from the template, so a later migration's columns are seeded too.
 */
export const seedPostgres = async (url: string, templateId: string, rootKey: Buffer, count: number, log: (line: string) => void): Promise<void> => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const template = (await client.query<{ project_id: string; region: string }>('SELECT project_id, region FROM secrets WHERE id = $1', [templateId])).rows[0];
    const version = (await client.query<{ kek_id: string }>('SELECT kek_id FROM secret_versions WHERE secret_id = $1 AND revision = 1', [templateId])).rows[0];
    if (!template || !version) {
      throw new Error('the template secret or its version is missing');
    }
    const kekRow = (await client.query<{ wrapped_key: Buffer }>('SELECT wrapped_key FROM key_encryption_keys WHERE id = $1', [version.kek_id])).rows[0];
    if (!kekRow) {
      throw new Error('the template version has no key-encryption key');
    }
    const kek = open(rootKey, kekRow.wrapped_key, keyEncryptionKeyAad(version.kek_id, template.project_id, template.region));

    const secretExpressions: Record<string, string> = {
      id: ID_SQL,
      name: "'s-' || n",
      path: `'/bench/f' || (n % ${SEED_FOLDERS})`,
      version_count: '1',
      created_at: 't.created_at + n',
      updated_at: 't.created_at + n',
    };
    const secretColumns = await columnsOf(client, 'secrets');
    const started = Date.now();
    await client.query(
      `INSERT INTO secrets (${secretColumns.join(', ')}) SELECT ${secretColumns.map((column) => secretExpressions[column] ?? `t.${column}`).join(', ')}
       FROM secrets t CROSS JOIN generate_series(1, $2::int) AS n WHERE t.id = $1`,
      [templateId, count],
    );
    log(`  ${count} secret rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const versionExpressions: Record<string, string> = {
      secret_id: ID_SQL,
      dek_id: 'u.dek_id',
      wrapped_dek: 'u.wrapped_dek',
      ciphertext: 'u.ciphertext',
      created_at: 't.created_at + n',
      updated_at: 't.created_at + n',
    };
    const versionColumns = await columnsOf(client, 'secret_versions');
    const insertVersions = `INSERT INTO secret_versions (${versionColumns.join(', ')})
      SELECT ${versionColumns.map((column) => versionExpressions[column] ?? `t.${column}`).join(', ')}
      FROM unnest($2::int[], $3::text[], $4::bytea[], $5::bytea[]) AS u(n, dek_id, wrapped_dek, ciphertext)
      CROSS JOIN secret_versions t WHERE t.secret_id = $1 AND t.revision = 1`;
    let sealing = 0;
    for (let first = 1; first <= count; first += BATCH) {
      const sealStarted = Date.now();
      const numbers: number[] = [];
      const dekIds: string[] = [];
      const wrapped: Buffer[] = [];
      const ciphertexts: Buffer[] = [];
      for (let n = first; n < first + BATCH && n <= count; n += 1) {
        const secretId = seededSecretId(n);
        const dekId = randomUUID();
        const dek = generateKey();
        numbers.push(n);
        dekIds.push(dekId);
        wrapped.push(seal(kek, dek, dataKeyAad(version.kek_id, secretId, 1, dekId)));
        ciphertexts.push(seal(dek, Buffer.from(seededPayload(n)), payloadAad(secretId, 1, dekId)));
      }
      sealing += Date.now() - sealStarted;
      await client.query(insertVersions, [templateId, numbers, dekIds, wrapped, ciphertexts]);
    }
    log(`  ${count} versions sealed (${(sealing / 1000).toFixed(1)} s of AES-GCM) and inserted in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await client.query('ANALYZE secrets');
    await client.query('ANALYZE secret_versions');
  } finally {
    await client.end();
  }
};
