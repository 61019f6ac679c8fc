import assert from 'node:assert/strict';
import type { AckedSecret, LoadTarget } from './write-load.js';

interface Answer {
  status: number;
  json: Record<string, unknown> | null;
  text: string;
}

const get = async (server: LoadTarget, path: string): Promise<Answer> => {
  const response = await fetch(`${server.url}${path}`, { headers: { 'x-auth-token': server.secretKey } });
  const text = await response.text();
  return { status: response.status, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
};

/** Runs `work` over `items` with a few requests in flight at once. */
const eachLimited = async <T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> => {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      if (item !== undefined) {
        await work(item);
      }
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
};

const base = (region: string) => `/secret-manager/v1beta1/regions/${region}`;

/** Every acknowledged version is there and opens to the payload it was given. Returns the number of reads. */
export const checkAcknowledged = async (server: LoadTarget, secrets: readonly AckedSecret[], region = 'fr-par'): Promise<number> => {
  const reads = secrets.flatMap((secret) => [...secret.versions].map(([revision, payload]) => ({ secret, revision, payload })));
  await eachLimited(reads, 8, async ({ secret, revision, payload }) => {
    const read = await get(server, `${base(region)}/secrets/${secret.id}/versions/${revision}/access`);
    assert.equal(read.status, 200, `acknowledged ${secret.id} revision ${revision} is not readable: ${read.text}`);
    assert.equal(Buffer.from(String(read.json?.data), 'base64').toString(), payload, `${secret.id} revision ${revision} holds another payload`);
  });
  return reads.length;
};

/**
 * The secrets' versions are exactly revisions 1..n (none duplicated, none missing), and
 * every one of them, acknowledged or not, decrypts: a crash leaves no torn version.
 * Returns the number of versions opened.
 */
export const checkVersionSequences = async (server: LoadTarget, secrets: readonly AckedSecret[], region = 'fr-par'): Promise<number> => {
  let opened = 0;
  await eachLimited(secrets, 4, async (secret) => {
    const meta = await get(server, `${base(region)}/secrets/${secret.id}`);
    assert.equal(meta.status, 200, `acknowledged secret ${secret.id} is missing: ${meta.text}`);
    const count = Number(meta.json?.version_count);
    const revisions: number[] = [];
    for (let page = 1; revisions.length < count; page += 1) {
      const listed = await get(server, `${base(region)}/secrets/${secret.id}/versions?page=${page}&page_size=100`);
      assert.equal(listed.status, 200, listed.text);
      const versions = (listed.json?.versions ?? []) as { revision: number }[];
      assert.ok(versions.length > 0, `${secret.id}: version_count ${count} but only ${revisions.length} listed`);
      revisions.push(...versions.map((version) => version.revision));
    }
    assert.deepEqual([...revisions].sort((a, b) => a - b), Array.from({ length: count }, (_, index) => index + 1), `${secret.id}: revisions are not 1..${count}`);
    for (const revision of secret.versions.keys()) {
      assert.ok(revision <= count, `${secret.id}: acknowledged revision ${revision} is beyond version_count ${count}`);
    }
    for (const revision of revisions.filter((listed) => !secret.versions.has(listed))) {
      const read = await get(server, `${base(region)}/secrets/${secret.id}/versions/${revision}/access`);
      assert.equal(read.status, 200, `${secret.id} revision ${revision}, committed but not acknowledged, is torn: ${read.text}`);
      opened += 1;
    }
  });
  return opened;
};

/** The audit trail's hash chains and signed checkpoints verify. Returns the events checked. */
export const checkAuditChain = async (server: LoadTarget): Promise<number> => {
  const report = await get(server, '/coffer/v1/audit/verify');
  assert.equal(report.status, 200, report.text);
  assert.equal(report.json?.ok, true, `the audit chain does not verify: ${report.text}`);
  return Number(report.json?.events);
};
