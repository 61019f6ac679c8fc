import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ROOT_DIR, startServer, type TestServer } from '../helpers/server.js';
import { httpsGet, makeTestPki, type TestPki } from '../helpers/tls-files.js';

/** Waits (10 s at most) for the server's output after `from` to show `pattern`. */
const waitForOutput = async (server: TestServer, pattern: RegExp, from: number): Promise<string> => {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const added = server.output().slice(from);
    if (pattern.test(added)) {
      return added;
    }
    await sleep(50);
  }
  throw new Error(`no ${String(pattern)} in the server's output:\n${server.output().slice(from)}`);
};

describe('TLS on the listener, reloaded on SIGHUP', () => {
  let pki: TestPki;
  let server: TestServer;
  let first: ReturnType<TestPki['issue']>;
  const live = { cert: '', key: '' };

  before(async () => {
    pki = makeTestPki();
    first = pki.issue('first');
    // The server reads these two paths; the test replaces their contents.
    live.cert = join(pki.dir, 'live.pem');
    live.key = join(pki.dir, 'live-key.pem');
    copyFileSync(first.certPath, live.cert);
    copyFileSync(first.keyPath, live.key);
    server = await startServer({ env: { COFFER_TLS_CERT: live.cert, COFFER_TLS_KEY: live.key, COFFER_LOG_LEVEL: 'info' } });
  });
  after(async () => {
    await server.stop();
    rmSync(pki.dir, { recursive: true, force: true });
  });

  it('serves HTTPS with the configured certificate, trusted through the test CA', async () => {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const answer = await httpsGet(`${server.url}/livez`, pki.ca);
    assert.equal(answer.status, 200);
    assert.equal(answer.fingerprint256, first.fingerprint256);
    const whoami = await fetch(`${server.url.replace('https:', 'http:')}/livez`).then(
      () => 'answered',
      () => 'refused',
    );
    assert.equal(whoami, 'refused', 'plain HTTP on the TLS port gets no answer');
  });

  it('serves the coffer CLI over HTTPS when it trusts the CA (NODE_EXTRA_CA_CERTS), and not otherwise', async () => {
    const caFile = join(pki.dir, 'ca.pem');
    const cli = (env: Record<string, string>) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT_DIR, 'src/cli/index.ts'), 'iam', 'whoami', '--output', 'json'], {
        env: { ...process.env, COFFER_ADDR: server.url, COFFER_SECRET_KEY: server.secretKey, ...env },
      });
    const trusted = await cli({ NODE_EXTRA_CA_CERTS: caFile });
    assert.equal((JSON.parse(trusted.stdout) as { access_key: string }).access_key, server.accessKey);
    await assert.rejects(cli({}), 'an unknown CA is refused');
  });

  it('gives new connections the new certificate after SIGHUP, and keeps open ones', async () => {
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    const before = await httpsGet(`${server.url}/livez`, pki.ca, keepAlive);
    assert.equal(before.fingerprint256, first.fingerprint256);

    const second = pki.issue('second');
    copyFileSync(second.certPath, live.cert);
    copyFileSync(second.keyPath, live.key);
    const mark = server.output().length;
    server.process.kill('SIGHUP');
    await waitForOutput(server, /TLS certificate reloaded/, mark);

    const fresh = await httpsGet(`${server.url}/livez`, pki.ca);
    assert.equal(fresh.fingerprint256, second.fingerprint256);
    // The connection opened before the reload still works, on the certificate it began with.
    const reused = await httpsGet(`${server.url}/livez`, pki.ca, keepAlive);
    assert.equal(reused.status, 200);
    assert.equal(reused.socket, before.socket, 'the same connection');
    assert.equal(reused.fingerprint256, first.fingerprint256);
    keepAlive.destroy();
    assert.ok(server.process.exitCode === null, 'the server still runs');
  });

  it('keeps the current certificate, and says why, when the new files are bad', async () => {
    const current = (await httpsGet(`${server.url}/livez`, pki.ca)).fingerprint256;
    const third = pki.issue('third');
    const fourth = pki.issue('fourth');
    // A certificate with another certificate's key.
    copyFileSync(third.certPath, live.cert);
    copyFileSync(fourth.keyPath, live.key);
    let mark = server.output().length;
    server.process.kill('SIGHUP');
    let log = await waitForOutput(server, /TLS reload failed/, mark);
    assert.match(log, /does not match the certificate/);
    assert.equal((await httpsGet(`${server.url}/livez`, pki.ca)).fingerprint256, current);

    // Not PEM at all; and the key's contents never reach the log.
    writeFileSync(live.cert, 'not a certificate');
    copyFileSync(third.keyPath, live.key);
    mark = server.output().length;
    server.process.kill('SIGHUP');
    log = await waitForOutput(server, /TLS reload failed/, mark);
    assert.match(log, /holds no PEM certificate/);
    assert.doesNotMatch(server.output(), /PRIVATE KEY/);
    const answer = await httpsGet(`${server.url}/readyz`, pki.ca);
    assert.equal(answer.status, 200);
    assert.equal(answer.fingerprint256, current);
  });
});

describe('TLS start-up errors', () => {
  let pki: TestPki;
  before(() => {
    pki = makeTestPki();
  });
  after(() => rmSync(pki.dir, { recursive: true, force: true }));

  /** Exit 2 for settings that do not fit together, 7 (a start-up error) for files that cannot serve. */
  const refusal = async (env: Record<string, string>, exitCode = 7): Promise<string> => {
    const error = await startServer({ env }).then(
      async (server) => {
        await server.stop();
        return null;
      },
      (failure: unknown) => failure,
    );
    assert.ok(error instanceof Error, 'the server must not start');
    assert.match(error.message, new RegExp(`exited with ${exitCode} before listening`));
    return error.message;
  };

  it('refuses a certificate without its key, and a key without its certificate', async () => {
    const leaf = pki.issue('alone');
    assert.match(await refusal({ COFFER_TLS_CERT: leaf.certPath }, 2), /COFFER_TLS_CERT: .*go together/);
    assert.match(await refusal({ COFFER_TLS_KEY: leaf.keyPath }, 2), /COFFER_TLS_CERT: .*go together/);
  });

  it('refuses unreadable and mismatched files, naming the file', async () => {
    const leaf = pki.issue('named');
    const other = pki.issue('other');
    const missing = join(pki.dir, 'missing.pem');
    assert.match(await refusal({ COFFER_TLS_CERT: missing, COFFER_TLS_KEY: leaf.keyPath }), new RegExp(`coffer: cannot read the TLS certificate file ${missing} \\(ENOENT\\)`));
    assert.match(await refusal({ COFFER_TLS_CERT: leaf.certPath, COFFER_TLS_KEY: other.keyPath }), /the TLS key in .*other-key\.pem does not match the certificate/);
    assert.match(await refusal({ COFFER_TLS_CERT: leaf.keyPath, COFFER_TLS_KEY: leaf.keyPath }), /holds no PEM certificate/);
  });
});
