import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startServer } from '../helpers/server.js';

describe('root key', () => {
  it('is created 0600 on first start, and a start with another key is refused', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'coffer-root-'));
    try {
      const first = await startServer({ dataDir });
      assert.equal(statSync(join(dataDir, 'root.key')).mode & 0o777, 0o600);
      assert.equal(await first.stop(), 0);
      await assert.rejects(
        startServer({ dataDir, identity: first, env: { COFFER_ROOT_KEY: Buffer.alloc(32, 1).toString('base64') } }),
        /root key does not match this store/,
      );
      const again = await startServer({ dataDir, identity: first });
      const health = await fetch(`${again.url}/health`).catch((error: unknown) => assert.fail(`${String(error)} ${String((error as Error).cause)} exit=${String(again.process.exitCode)}\n${again.output()}`));
      assert.equal(health.status, 200);
      assert.doesNotMatch(again.output(), /Bootstrapped/);
      await again.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
