import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openArchive } from '../../src/shared/backup/archive.js';
import { linesOf, readBackupStream, type BackupHeader, type CellValue } from '../../src/shared/backup/backup-stream.js';
import { cleanEnv, cofferResult } from '../cli/helpers.js';
import { scalewayHttp } from '../helpers/scaleway-http.js';
import { ENGINES, startServerOn } from '../helpers/server.js';
import { passphraseFile, workDir } from './backup-helpers.js';

type Row = Record<string, CellValue>;

/** Every row of an archive, by table, as objects. */
const readArchive = async (file: string, passphrase: string): Promise<{ header: BackupHeader; tables: Map<string, Row[]> }> => {
  const tables = new Map<string, Row[]>();
  let header: BackupHeader | undefined;
  for await (const batch of readBackupStream(linesOf(openArchive(file, { kind: 'passphrase', passphrase })), (found) => (header = found))) {
    const rows = tables.get(batch.table) ?? [];
    rows.push(...batch.rows.map((row) => Object.fromEntries(batch.columns.map((column, index) => [column, row[index] ?? null]))));
    tables.set(batch.table, rows);
  }
  assert.ok(header);
  return { header, tables };
};

/**
 * A backup taken while writers add secrets and versions is one instant of the store:
 * every version has its secret, each secret's revisions run 1..version_count without a
 * gap, and each audit chain's events run without a gap up to its recorded head.
 */
for (const engine of ENGINES) {
  describe(`backup under a write load is a consistent snapshot (${engine})`, () => {
    it('holds no version without its secret, no revision gap and no audit chain gap', async () => {
      const { server, stop } = await startServerOn(engine);
      const dir = workDir();
      const passphrase = 'consistent snapshot passphrase';
      try {
        const scw = scalewayHttp(server);
        const shared = await scw.createSecret({ name: 'shared', project_id: server.projectId });
        let writing = true;
        let written = 0;
        const writer = async (worker: number) => {
          for (let round = 0; writing; round += 1) {
            const id = round % 3 === 0 ? await scw.createSecret({ name: `w${worker}-${round}`, project_id: server.projectId, tags: ['load'] }) : shared;
            await scw.addVersion(id, `value ${worker} ${round}`);
            written += 1;
          }
        };
        const writers = [0, 1, 2, 3].map((worker) => writer(worker));
        while (written < 30) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        const archive = join(dir, 'under-load.bak');
        const atStart = written;
        const result = await cofferResult(
          ['backup', '--out', archive, '--passphrase-file', passphraseFile(dir, passphrase)],
          cleanEnv({ COFFER_ADDR: server.url, COFFER_SECRET_KEY: server.secretKey, COFFER_PROJECT_ID: server.projectId }),
        );
        const before = written;
        writing = false;
        await Promise.all(writers);
        assert.equal(result.status, 0, result.stderr);
        assert.ok(before > atStart, 'writers ran during the backup');

        const { header, tables } = await readArchive(archive, passphrase);
        assert.equal(header.engine, engine);
        const secrets = new Map((tables.get('secrets') ?? []).map((row) => [String(row.id), row]));
        const versions = tables.get('secret_versions') ?? [];
        assert.ok(secrets.size > 1 && versions.length > 1, 'the snapshot holds the load');
        const revisions = new Map<string, number[]>();
        for (const version of versions) {
          assert.ok(secrets.has(String(version.secret_id)), 'a version without its secret');
          revisions.set(String(version.secret_id), [...(revisions.get(String(version.secret_id)) ?? []), Number(version.revision)]);
        }
        for (const [id, secret] of secrets) {
          const list = (revisions.get(id) ?? []).sort((left, right) => left - right);
          assert.deepEqual(list, Array.from({ length: Number(secret.version_count) }, (_, index) => index + 1), `revisions of ${String(secret.name)}`);
        }
        for (const tag of tables.get('secret_tags') ?? []) {
          assert.ok(secrets.has(String(tag.secret_id)), 'a tag without its secret');
        }
        const events = tables.get('audit_events') ?? [];
        for (const chain of tables.get('audit_chains') ?? []) {
          const seqs = events.filter((event) => event.chain_id === chain.chain_id).map((event) => Number(event.seq)).sort((left, right) => left - right);
          const anchor = Number(chain.anchor_seq);
          assert.deepEqual(seqs, Array.from({ length: Number(chain.head_seq) - anchor }, (_, index) => anchor + index + 1), 'audit events of a chain up to its head');
        }
      } finally {
        await stop();
      }
    });
  });
}
