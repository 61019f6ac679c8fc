import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  /** A 30-day certificate for api.example (SANs api.example, www.api.example) and its key. */
  certificate: string;
  key: string;
  /** Another key, which does not match `certificate`. */
  otherKey: string;
  /** A certificate that expired in January 2020, and its key. */
  expired: string;
  expiredKey: string;
}

const openssl = (dir: string, args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/** Real certificates made with Debian's openssl, once per test file. */
export const makeTestCertificates = (): TestCertificates => {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-certs-'));
  try {
    openssl(dir, ['req', '-x509', ...ecKey, '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '30', '-subj', '/CN=api.example/O=Coffer Test', '-addext', 'subjectAltName=DNS:api.example,DNS:www.api.example']);
    openssl(dir, ['req', '-x509', ...ecKey, '-keyout', 'other.pem', '-out', 'other-cert.pem', '-days', '30', '-subj', '/CN=other.example']);
    // `openssl ca` is the one way to set a past validity with OpenSSL 3.0.
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'serial'), '01\n');
    writeFileSync(join(dir, 'ca.cnf'), '[ca]\ndefault_ca=d\n[d]\ndir=.\ndatabase=index.txt\nnew_certs_dir=.\nserial=serial\ndefault_md=sha256\npolicy=p\n[p]\ncommonName=supplied\n');
    openssl(dir, ['req', '-new', ...ecKey, '-keyout', 'expired-key.pem', '-out', 'expired.csr', '-subj', '/CN=expired.example']);
    openssl(dir, ['ca', '-batch', '-config', 'ca.cnf', '-selfsign', '-keyfile', 'expired-key.pem', '-in', 'expired.csr', '-out', 'expired.pem', '-startdate', '20200101000000Z', '-enddate', '20200102000000Z']);
    const read = (name: string) => readFileSync(join(dir, name), 'utf8');
    const pemOnly = (text: string) => /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/.exec(text)?.[0] ?? '';
    return {
      certificate: read('cert.pem'),
      key: read('key.pem'),
      otherKey: read('other.pem'),
      expired: pemOnly(read('expired.pem')),
      expiredKey: read('expired-key.pem'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
