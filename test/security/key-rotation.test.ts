import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { scalewayHttp } from '../helpers/scaleway-http.js';
import { ENGINES, ROOT_DIR, startServerOn } from '../helpers/server.js';

/** Runs the real CLI as a subprocess and collects what it prints. */
const runCli = (args: string[], env: Record<string, string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT_DIR, 'src/cli/index.ts'), ...args], {
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });

for (const engine of ENGINES) {
  describe(`coffer keys rotate on ${engine}`, () => {
    let started: Awaited<ReturnType<typeof startServerOn>>;
    let api: ReturnType<typeof scalewayHttp>;
    const written: { id: string; revision: number; value: string }[] = [];

    before(async () => {
      started = await startServerOn(engine);
      api = scalewayHttp(started.server);
      for (let secret = 0; secret < 15; secret += 1) {
        const id = await api.createSecret({ name: `rotate-${secret}` });
        for (let version = 0; version < 3; version += 1) {
          const value = `value ${secret}.${version}`;
          written.push({ id, revision: await api.addVersion(id, value), value });
        }
      }
      const other = scalewayHttp(started.server, 'nl-ams');
      const id = await other.createSecret({ name: 'rotate-other-region' });
      written.push({ id: `nl-ams:${id}`, revision: await other.addVersion(id, 'amsterdam'), value: 'amsterdam' });
    });
    after(async () => started.stop());

    it('re-wraps every data key online while reads keep working', async () => {
      let reading = true;
      let reads = 0;
      const reader = (async () => {
        while (reading) {
          const sample = written[reads % 45];
          if (sample) {
            const read = await api.access(sample.id, sample.revision);
            assert.equal(read.data, sample.value, `read during rotation failed: ${read.status} ${read.text}`);
          }
          reads += 1;
        }
      })();
      const result = await runCli(['keys', 'rotate', '--output', 'json'], {
        COFFER_ADDR: started.server.url,
        SCW_SECRET_KEY: started.server.secretKey,
      });
      reading = false;
      await reader;
      assert.equal(result.code, 0, result.stderr);
      const rotations = JSON.parse(result.stdout) as { region: string; generation: number; rewrapped: number }[];
      const byRegion = Object.fromEntries(rotations.map((rotation) => [rotation.region, rotation]));
      assert.equal(byRegion['fr-par']?.generation, 2);
      assert.equal(byRegion['fr-par']?.rewrapped, 45);
      assert.equal(byRegion['nl-ams']?.rewrapped, 1);
      assert.ok(reads > 0);
      assert.match(result.stderr, /re-wrapping .*45\/45/);
    });

    it('keeps every old version readable after rotation, and rotates again', async () => {
      for (const { id, revision, value } of written) {
        const [region, secretId] = id.includes(':') ? id.split(':') : ['fr-par', id];
        const read = await scalewayHttp(started.server, region).access(secretId ?? '', revision);
        assert.equal(read.data, value);
      }
      const again = await runCli(['keys', 'rotate', '--region', 'fr-par', '--output', 'json'], {
        COFFER_ADDR: started.server.url,
        SCW_SECRET_KEY: started.server.secretKey,
      });
      assert.equal(again.code, 0, again.stderr);
      const [rotation] = JSON.parse(again.stdout) as { generation: number; rewrapped: number }[];
      assert.equal(rotation?.generation, 3);
      assert.equal(rotation?.rewrapped, 45);
    });

    it('refuses a caller without valid credentials with exit code 3', async () => {
      const denied = await runCli(['keys', 'rotate'], {
        COFFER_ADDR: started.server.url,
        SCW_SECRET_KEY: '00000000-0000-4000-8000-000000000000',
      });
      assert.equal(denied.code, 3);
      assert.match(denied.stderr, /401/);
    });
  });
}
