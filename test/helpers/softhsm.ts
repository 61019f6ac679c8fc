import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT_DIR } from './server.js';

/** Debian's softhsm2 package; scripts/ensure-test-tools.sh installs it. A missing module fails the test, never skips it. */
export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

export interface SoftHsmToken {
  label: string;
  pin: string;
  keyLabel: string;
  /** What a Coffer process needs to use the token: SOFTHSM2_CONF and COFFER_HSM_*. */
  env: Record<string, string>;
  remove(): void;
}

/** Runs the real CLI (`coffer …`) from the sources. */
export const runCoffer = (args: string[], env: Record<string, string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT_DIR, 'src/cli/index.ts'), ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });

/**
 * A throwaway SoftHSM2 token in its own directory (its own softhsm2.conf, so nothing of the
 * machine's tokens is touched), with the root key created by `coffer hsm init-key`.
 */
export const createSoftHsmToken = async (label = 'coffer-test'): Promise<SoftHsmToken> => {
  if (!existsSync(SOFTHSM_MODULE)) {
    throw new Error(`${SOFTHSM_MODULE} is missing: run scripts/ensure-test-tools.sh (Debian package softhsm2)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'coffer-softhsm-'));
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${dir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  // Distinctive values, so a test can tell that they appear nowhere in output or files.
  const pin = `pin-${Math.random().toString(36).slice(2, 10)}`;
  const keyLabel = 'coffer-root-key';
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', `so-${pin}`], {
    env: { ...process.env, SOFTHSM2_CONF: conf },
    stdio: 'ignore',
  });
  const env = {
    SOFTHSM2_CONF: conf,
    COFFER_HSM_MODULE: SOFTHSM_MODULE,
    COFFER_HSM_TOKEN_LABEL: label,
    COFFER_HSM_PIN: pin,
    COFFER_HSM_KEY_LABEL: keyLabel,
  };
  const created = await runCoffer(['hsm', 'init-key'], env);
  if (created.code !== 0) {
    throw new Error(`coffer hsm init-key failed (${String(created.code)}): ${created.stderr}`);
  }
  return { label, pin, keyLabel, env, remove: () => rmSync(dir, { recursive: true, force: true }) };
};
