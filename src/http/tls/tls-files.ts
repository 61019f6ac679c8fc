import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext, type Server as TlsServer } from 'node:tls';
import type { Logger } from '../../shared/logger.js';

export interface TlsPaths {
  certPath: string;
  keyPath: string;
}

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  /** What the log says about the certificate: never the key. */
  summary: { subject: string; fingerprint256: string; validTo: string };
}

/** A TLS file problem, worded for the operator; it never quotes the files' contents. */
export class TlsFileError extends Error {}

const readPem = (path: string, what: string): Buffer => {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unreadable';
    throw new TlsFileError(`cannot read the TLS ${what} file ${path} (${code})`);
  }
};

/**
 * Reads and checks a certificate and its key: both PEM, the certificate parseable, and
 * the key the certificate's own. Checked before use, so that neither start-up nor a
 * reload ever serves a pair that cannot complete a handshake.
 */
export const loadTlsMaterial = ({ certPath, keyPath }: TlsPaths): TlsMaterial => {
  const cert = readPem(certPath, 'certificate');
  const key = readPem(keyPath, 'key');
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(cert);
  } catch {
    throw new TlsFileError(`the TLS certificate file ${certPath} holds no PEM certificate`);
  }
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TlsFileError(
      /mismatch/i.test(reason)
        ? `the TLS key in ${keyPath} does not match the certificate in ${certPath}`
        : `the TLS key file ${keyPath} holds no usable PEM private key (${reason})`,
    );
  }
  return { cert, key, summary: { subject: leaf.subject.replaceAll('\n', ', '), fingerprint256: leaf.fingerprint256, validTo: leaf.validTo } };
};

/**
 * Swaps the certificate new connections get; open connections keep theirs, so nothing
 * is dropped. Bad files leave the old certificate in place and say why in the log.
 */
export const reloadTls = (server: TlsServer, paths: TlsPaths, logger: Logger): boolean => {
  let material: TlsMaterial;
  try {
    material = loadTlsMaterial(paths);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    logger.error({ reason }, 'TLS reload failed: still serving the previous certificate');
    return false;
  }
  server.setSecureContext({ cert: material.cert, key: material.key });
  logger.info({ certificate: material.summary }, 'TLS certificate reloaded');
  return true;
};
