import { createPrivateKey, X509Certificate } from 'node:crypto';

/** What a certificate secret shows without anyone reading its payload. */
export interface CertificateDetails {
  subject: string;
  issuer: string;
  subjectAltNames: string[];
  serialNumber: string;
  /** SHA-256 of the leaf certificate's DER, as `AB:CD:…`. */
  fingerprintSha256: string;
  notBefore: string;
  notAfter: string;
  /** How many certificates the chain holds, the leaf included. */
  chainLength: number;
  hasPrivateKey: boolean;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n[\s\S]+?-----END \1-----/g;
const KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY']);

export type ParsedCertificate = { ok: true; details: CertificateDetails; notAfterMillis: number } | { ok: false; problems: string[] };

/**
 * Reads a PEM certificate chain (leaf first) and an optional private key, which must
 * belong to the leaf. An expired leaf is refused: storing it would only hide an outage.
 */
export const parseCertificateChain = (text: string, nowMillis: number): ParsedCertificate => {
  const blocks = [...text.matchAll(PEM_BLOCK)].map((match) => ({ label: match[1] ?? '', pem: match[0] }));
  if (blocks.length === 0 || text.replace(PEM_BLOCK, '').trim() !== '') {
    return { ok: false, problems: ['(root): a certificate secret holds PEM blocks only: the certificate chain, leaf first, then an optional private key'] };
  }
  const certificates: X509Certificate[] = [];
  const keys = blocks.filter((block) => KEY_LABELS.has(block.label));
  const problems: string[] = [];
  for (const [index, block] of blocks.entries()) {
    if (block.label === 'CERTIFICATE') {
      try {
        certificates.push(new X509Certificate(block.pem));
      } catch {
        problems.push(`block ${index + 1}: not a readable X.509 certificate`);
      }
    } else if (!KEY_LABELS.has(block.label)) {
      problems.push(`block ${index + 1}: unexpected PEM block "${block.label.slice(0, 32)}"`);
    }
  }
  const leaf = certificates[0];
  if (!leaf) {
    problems.push('(root): the chain holds no certificate');
  }
  if (keys.length > 1) {
    problems.push('(root): at most one private key, the leaf certificate’s');
  }
  if (problems.length > 0 || !leaf) {
    return { ok: false, problems };
  }
  const notAfterMillis = Date.parse(leaf.validTo);
  if (notAfterMillis <= nowMillis) {
    problems.push(`(root): the certificate expired on ${new Date(notAfterMillis).toISOString()}`);
  }
  const key = keys[0];
  if (key) {
    try {
      if (!leaf.checkPrivateKey(createPrivateKey(key.pem))) {
        problems.push('(root): the private key does not match the leaf certificate');
      }
    } catch {
      problems.push('(root): the private key is not readable (encrypted keys are not accepted)');
    }
  }
  if (problems.length > 0) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    notAfterMillis,
    details: {
      subject: leaf.subject.replace(/\n/g, ', '),
      issuer: leaf.issuer.replace(/\n/g, ', '),
      subjectAltNames: (leaf.subjectAltName ?? '').split(', ').filter(Boolean),
      serialNumber: leaf.serialNumber,
      fingerprintSha256: leaf.fingerprint256,
      notBefore: new Date(leaf.validFrom).toISOString(),
      notAfter: new Date(notAfterMillis).toISOString(),
      chainLength: certificates.length,
      hasPrivateKey: key !== undefined,
    },
  };
};
