import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { scalewayHttp } from '../helpers/scaleway-http.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { createSoftHsmToken, runCoffer, SOFTHSM_MODULE, type SoftHsmToken } from '../helpers/softhsm.js';

const HSM_FORMAT = 0x48;

/** Every file under the data directory, as bytes. */
const filesOf = (dir: string): Buffer[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesOf(join(dir, entry.name)) : [readFileSync(join(dir, entry.name))],
  );

/** A start that must fail: its exit code and everything it printed. */
const failedStart = async (dataDir: string, env: Record<string, string>) => {
  const error = await startServer({ dataDir, env }).then(
    async (server) => {
      await server.stop();
      return assert.fail('the server started');
    },
    (reason: unknown) => reason as Error,
  );
  return error.message;
};

describe('the root key in an HSM (SoftHSM2)', () => {
  let token: SoftHsmToken;
  let dataDir: string;
  let server: TestServer;
  const written: { id: string; revision: number; value: string }[] = [];

  before(async () => {
    token = await createSoftHsmToken();
    dataDir = mkdtempSync(join(tmpdir(), 'coffer-hsm-'));
  });
  after(async () => {
    await server.stop();
    token.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const readAll = async () => {
    const api = scalewayHttp(server);
    for (const { id, revision, value } of written) {
      const read = await api.access(id, revision);
      assert.equal(read.status, 200, read.text);
      assert.equal(read.data, value);
    }
  };

  it('creates the key once: a second coffer hsm init-key leaves it and says so', async () => {
    const again = await runCoffer(['hsm', 'init-key'], token.env);
    assert.equal(again.code, 7);
    assert.match(again.stderr, /already holds a key labelled "coffer-root-key"/);
    assert.doesNotMatch(again.stderr + again.stdout, new RegExp(token.pin));
  });

  it('writes and reads, restarts and reads, rotates the KEKs and reads, with no root key on disk', async () => {
    server = await startServer({ dataDir, env: token.env });
    const api = scalewayHttp(server);
    for (let secret = 0; secret < 5; secret += 1) {
      const id = await api.createSecret({ name: `hsm-${secret}` });
      for (let version = 0; version < 2; version += 1) {
        const value = `hsm value ${secret}.${version}`;
        written.push({ id, revision: await api.addVersion(id, value), value });
      }
    }
    await readAll();
    assert.equal(await server.stop(), 0);

    server = await startServer({ dataDir, env: token.env, identity: server });
    await readAll();
    const rotated = await runCoffer(['keys', 'rotate', '--output', 'json'], { COFFER_ADDR: server.url, SCW_SECRET_KEY: server.secretKey });
    assert.equal(rotated.code, 0, rotated.stderr);
    const [rotation] = JSON.parse(rotated.stdout) as { generation: number; rewrapped: number }[];
    assert.equal(rotation?.generation, 2);
    assert.equal(rotation?.rewrapped, written.length);
    await readAll();

    assert.equal(existsSync(join(dataDir, 'root.key')), false, 'no root.key is created when the root key is in the HSM');
    const store = new Database(join(dataDir, 'coffer.db'), { readonly: true });
    try {
      const keks = store.prepare('SELECT wrapped_key FROM key_encryption_keys').all() as { wrapped_key: Buffer }[];
      assert.equal(keks.length, 2);
      assert.ok(keks.every((kek) => kek.wrapped_key[0] === HSM_FORMAT), 'every KEK is wrapped by the HSM');
      const check = store.prepare("SELECT value FROM coffer_meta WHERE key = 'root_key_check'").get() as { value: string };
      assert.equal(Buffer.from(check.value, 'base64')[0], HSM_FORMAT);
    } finally {
      store.close();
    }
    for (const bytes of filesOf(dataDir)) {
      for (const needle of [token.pin, ...written.map((entry) => entry.value)]) {
        assert.equal(bytes.includes(Buffer.from(needle)), false, `"${needle}" found in clear in the data directory`);
      }
    }
    assert.doesNotMatch(server.output(), new RegExp(token.pin));
  });

  it('refuses to start with a wrong PIN, naming the token and never a PIN', async () => {
    const wrongPin = 'wrong-pin-7291';
    const message = await failedStart(dataDir, { ...token.env, COFFER_HSM_PIN: wrongPin });
    assert.match(message, /exited with 7/);
    assert.match(message, /coffer: token "coffer-test" refused the PIN \(CKR_PIN_INCORRECT\)/);
    assert.doesNotMatch(message, new RegExp(`${wrongPin}|${token.pin}`));
    assert.doesNotMatch(message, /\n\s+at /, 'no stack trace');
  });

  it('refuses to start when the token is missing, listing the tokens there are, and finds it by slot id', async () => {
    const message = await failedStart(dataDir, { ...token.env, COFFER_HSM_TOKEN_LABEL: 'no-such-token' });
    assert.match(message, /exited with 7/);
    assert.match(message, /token "no-such-token" was not found in the PKCS#11 module .*; tokens present: "coffer-test"/);
    assert.doesNotMatch(message, new RegExp(token.pin));
    // The same token by its slot id, as the message lists it.
    const slot = /"coffer-test" \(slot (\d+)\)/.exec(message)?.[1] ?? assert.fail('no slot id in the message');
    await server.stop();
    server = await startServer({ dataDir, env: { ...token.env, COFFER_HSM_TOKEN_LABEL: '', COFFER_HSM_SLOT: slot }, identity: server });
    assert.equal((await scalewayHttp(server).access(written[0]?.id ?? '', 1)).data, written[0]?.value);
  });

  it('refuses a missing key label, an unloadable module and a PIN file that is not there', async () => {
    assert.match(
      await failedStart(dataDir, { ...token.env, COFFER_HSM_KEY_LABEL: 'no-such-key' }),
      /token "coffer-test" has no key labelled "no-such-key": create it with `coffer hsm init-key`/,
    );
    assert.match(
      await failedStart(dataDir, { ...token.env, COFFER_HSM_MODULE: '/nonexistent/libpkcs11.so' }),
      /cannot load the PKCS#11 module \/nonexistent\/libpkcs11\.so/,
    );
    const pinFileEnv: Record<string, string> = { ...token.env, COFFER_HSM_PIN: '', COFFER_HSM_PIN_FILE: join(dataDir, 'no-pin-here') };
    assert.match(await failedStart(dataDir, pinFileEnv), /cannot read the HSM PIN file .*no-pin-here: ENOENT/);
  });

  it('reads the PIN from a file, and refuses a store held by the HSM when started with a file key only', async () => {
    const pinFile = join(dataDir, '..', `pin-${Date.now()}`);
    writeFileSync(pinFile, `${token.pin}\n`, { mode: 0o600 });
    try {
      await server.stop();
      server = await startServer({ dataDir, env: { ...token.env, COFFER_HSM_PIN: '', COFFER_HSM_PIN_FILE: pinFile }, identity: server });
      assert.equal((await scalewayHttp(server).access(written[0]?.id ?? '', 1)).status, 200);
      await server.stop();
    } finally {
      rmSync(pinFile, { force: true });
    }
    const message = await failedStart(dataDir, {});
    assert.match(message, /this store's root key is held by an HSM \(COFFER_HSM_\*\), which is not configured/);
    assert.equal(existsSync(join(dataDir, 'root.key')), false, 'the refused start leaves no root.key behind');
    server = await startServer({ dataDir, env: token.env, identity: server });
  });

  it('uses Debian\'s SoftHSM2 module', () => {
    assert.ok(existsSync(SOFTHSM_MODULE));
  });
});
