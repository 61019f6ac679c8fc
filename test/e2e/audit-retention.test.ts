import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { startServer, type TestServer } from '../helpers/server.js';

interface ExportLine {
  type: string;
  chainId: string;
  anchorSeq?: number;
  headSeq?: number;
  kind?: string;
  seq: number;
}

/** Retention: old events go, and what is left still verifies from a signed anchor. */
describe('audit retention', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'coffer-retention-'));
  // About two seconds: events of the first run are past it when the second run starts.
  const env = { COFFER_AUDIT_RETENTION_DAYS: String(2 / 86_400), COFFER_AUDIT_CHECKPOINT_EVENTS: '3' };
  let server: TestServer;

  const exportLines = async (): Promise<ExportLine[]> => {
    const response = await fetch(`${server.url}/coffer/v1/audit/export`, { headers: { 'x-auth-token': server.secretKey } });
    return (await response.text())
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as ExportLine);
  };
  const verify = async () => (await (await fetch(`${server.url}/coffer/v1/audit/verify`, { headers: { 'x-auth-token': server.secretKey } })).json()) as { ok: boolean; first_break: { message: string } | null };

  before(async () => {
    const first = await startServer({ dataDir, env });
    for (let index = 0; index < 10; index += 1) {
      await fetch(`${first.url}/iam/v1alpha1/applications`, { headers: { 'x-auth-token': first.secretKey } });
    }
    await first.stop();
    await sleep(2500);
    server = await startServer({ dataDir, env, identity: first });
  });
  after(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prunes events past retention and anchors the chain at a signed checkpoint, so it still verifies', async () => {
    let old: ExportLine | undefined;
    for (let attempt = 0; attempt < 50 && !(old?.anchorSeq && old.anchorSeq > 0); attempt += 1) {
      await sleep(100);
      old = (await exportLines()).find((line) => line.type === 'chain' && (line.headSeq ?? 0) >= 10);
    }
    assert.ok(old, 'the first run left a chain');
    assert.equal(old.anchorSeq, old.headSeq, 'every event of the first run was past retention');
    const lines = await exportLines();
    assert.equal(lines.filter((line) => line.type === 'event' && line.chainId === old.chainId).length, 0);
    assert.ok(lines.some((line) => line.type === 'checkpoint' && line.chainId === old.chainId && line.kind === 'anchor' && line.seq === old.anchorSeq));
    const report = await verify();
    assert.equal(report.ok, true, report.first_break?.message);

    // A signed checkpoint at the anchor (the anchor's own, or the closing one of the first
    // run, which vouches for the same event) is what makes a shortened chain legitimate.
    const db = new Database(join(dataDir, 'audit.db'));
    db.pragma('busy_timeout = 5000');
    const vouching = db.prepare('SELECT * FROM audit_checkpoints WHERE chain_id = ? AND seq = ?').all(old.chainId, old.anchorSeq) as Record<string, unknown>[];
    assert.ok(vouching.length > 0);
    db.prepare('DELETE FROM audit_checkpoints WHERE chain_id = ? AND seq = ?').run(old.chainId, old.anchorSeq);
    const broken = await verify();
    assert.equal(broken.ok, false);
    assert.match(broken.first_break?.message ?? '', /anchor no signed checkpoint vouches for/);
    for (const checkpoint of vouching) {
      const columns = Object.keys(checkpoint);
      db.prepare(`INSERT INTO audit_checkpoints (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(...Object.values(checkpoint));
    }
    db.close();
    assert.equal((await verify()).ok, true);
  });
});
