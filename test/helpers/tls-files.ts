import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request, type Agent } from 'node:https';
import { tmpdir } from 'node:os';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';

const openssl = (dir: string, args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export interface TestPki {
  dir: string;
  /** The test CA's certificate, which clients trust. */
  ca: string;
  /** Makes a leaf for 127.0.0.1 signed by the CA; returns its PEM files and SHA-256 fingerprint. */
  issue(name: string): { certPath: string; keyPath: string; fingerprint256: string };
}

/** A throwaway CA made with Debian's openssl, and leaves for 127.0.0.1 it signs. */
export const makeTestPki = (): TestPki => {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-pki-'));
  openssl(dir, ['req', '-x509', ...ecKey, '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Coffer Test CA']);
  writeFileSync(join(dir, 'leaf.ext'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n');
  return {
    dir,
    ca: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    issue: (name) => {
      openssl(dir, ['req', '-new', ...ecKey, '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
      openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-days', '2', '-extfile', 'leaf.ext', '-out', `${name}.pem`]);
      const certPath = join(dir, `${name}.pem`);
      return { certPath, keyPath: join(dir, `${name}-key.pem`), fingerprint256: new X509Certificate(readFileSync(certPath)).fingerprint256 };
    },
  };
};

export interface TlsAnswer {
  status: number;
  body: string;
  /** The certificate the server presented on this connection. */
  fingerprint256: string;
  /** The connection, to tell a reused one from a new one. */
  socket: TLSSocket;
}

/** One HTTPS GET that trusts only `ca`; a new connection unless `agent` keeps one open. */
export const httpsGet = (url: string, ca: string, agent: Agent | false = false): Promise<TlsAnswer> =>
  new Promise((resolve, reject) => {
    const req = request(url, { ca, agent }, (res) => {
      const socket = res.socket as TLSSocket;
      const fingerprint256 = socket.getPeerCertificate().fingerprint256;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, fingerprint256, socket }));
    });
    req.on('error', reject);
    req.end();
  });
