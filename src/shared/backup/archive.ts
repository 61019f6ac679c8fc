import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { open } from 'node:fs/promises';
import { keysForRecipient, keysFromEphemeral, parseSecretKey } from './recipient-keys.js';

/**
 * The encrypted archive a backup is written to:
 *
 *   "COFFERBK" | u32 header length | header (JSON) | key check (32 bytes) | chunks…
 *   chunk = u32 sealed length | AES-256-GCM ciphertext | 16-byte tag
 *
 * The chunk key comes from a passphrase (scrypt) or from a recipient's X25519 public key
 * (ephemeral-static ECDH), then HKDF. Each chunk's IV is its index and a last-chunk flag,
 * and its AAD the header's hash, so a chunk moved, dropped, duplicated or taken from
 * another archive fails to open, and a file cut after any chunk lacks its last one.
 * The key check (an HMAC of the header) tells a wrong key from a damaged file.
 */
export const ARCHIVE_MAGIC = Buffer.from('COFFERBK', 'ascii');
const INFO = 'coffer/backup-archive/v1';
export const CHUNK_BYTES = 64 * 1024;
const TAG_BYTES = 16;
const MAX_HEADER_BYTES = 4096;
const SCRYPT = { N: 2 ** 15, r: 8, p: 1 };
// A crafted header must not make the reader allocate gigabytes: 128·N·r bytes stays ≤ 256 MiB.
const MAX_SCRYPT_N = 2 ** 18;

export type ArchiveSealKey = { kind: 'passphrase'; passphrase: string } | { kind: 'recipient'; publicKey: string };
export type ArchiveOpenKey = { kind: 'passphrase'; passphrase: string } | { kind: 'identity'; secretKey: string };

type Header =
  | { format: 1; kdf: 'scrypt'; salt: string; N: number; r: number; p: number }
  | { format: 1; kdf: 'x25519'; salt: string; ephemeral_public_key: string; recipient: string };

/** The archive cannot be opened; the message says why, without any of its content. */
export class ArchiveError extends Error {}

const scrypted = (passphrase: string, salt: Buffer, params: { N: number; r: number; p: number }): Buffer =>
  scryptSync(passphrase.normalize('NFC'), salt, 32, { ...params, maxmem: 256 * params.N * params.r + 16 * 1024 * 1024 });

const split = (ikm: Buffer, salt: Buffer) => {
  const okm = Buffer.from(hkdfSync('sha256', ikm, salt, INFO, 64));
  return { chunkKey: okm.subarray(0, 32), checkKey: okm.subarray(32) };
};

const ivOf = (index: number, last: boolean): Buffer => {
  const iv = Buffer.alloc(12);
  iv.writeBigUInt64BE(BigInt(index), 0);
  iv.writeUInt32BE(last ? 1 : 0, 8);
  return iv;
};

const u32 = (value: number): Buffer => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value, 0);
  return bytes;
};

export interface ArchiveSealer {
  /** Magic, header and key check: the file's first bytes. */
  preamble: Buffer;
  seal(plain: Buffer, last: boolean): Buffer;
}

export const createSealer = (key: ArchiveSealKey): ArchiveSealer => {
  const salt = randomBytes(16);
  let header: Header;
  let keys: ReturnType<typeof split>;
  if (key.kind === 'passphrase') {
    header = { format: 1, kdf: 'scrypt', salt: salt.toString('base64'), ...SCRYPT };
    keys = split(scrypted(key.passphrase, salt, SCRYPT), salt);
  } else {
    const derived = keysForRecipient(key.publicKey, INFO, 32);
    header = { format: 1, kdf: 'x25519', salt: salt.toString('base64'), ephemeral_public_key: derived.ephemeralPublicKey, recipient: key.publicKey };
    keys = split(derived.okm, salt);
  }
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const framed = Buffer.concat([ARCHIVE_MAGIC, u32(headerBytes.length), headerBytes]);
  const aad = createHash('sha256').update(framed).digest();
  let index = 0;
  return {
    preamble: Buffer.concat([framed, createHmac('sha256', keys.checkKey).update(framed).digest()]),
    seal(plain, last) {
      const cipher = createCipheriv('aes-256-gcm', keys.chunkKey, ivOf(index, last));
      cipher.setAAD(aad);
      const sealed = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      index += 1;
      return Buffer.concat([u32(sealed.length), sealed]);
    },
  };
};

const parseHeader = (bytes: Buffer): Header => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ArchiveError('the archive header is damaged');
  }
  const header = parsed as Partial<Record<string, unknown>>;
  if (header.format !== 1 || typeof header.salt !== 'string') {
    throw new ArchiveError('the archive header is damaged or of an unknown format');
  }
  if (header.kdf === 'scrypt' && typeof header.N === 'number' && typeof header.r === 'number' && typeof header.p === 'number') {
    if (header.N > MAX_SCRYPT_N || header.r > 8 || header.p > 4) {
      throw new ArchiveError('the archive asks for scrypt parameters beyond the accepted limits');
    }
    return parsed as Header;
  }
  if (header.kdf === 'x25519' && typeof header.ephemeral_public_key === 'string' && typeof header.recipient === 'string') {
    return parsed as Header;
  }
  throw new ArchiveError('the archive header is damaged or of an unknown format');
};

const keysFor = (header: Header, key: ArchiveOpenKey) => {
  const salt = Buffer.from(header.salt, 'base64');
  if (header.kdf === 'scrypt') {
    if (key.kind !== 'passphrase') {
      throw new ArchiveError('this archive is sealed with a passphrase: give --passphrase-file (or COFFER_BACKUP_PASSPHRASE)');
    }
    return split(scrypted(key.passphrase, salt, header), salt);
  }
  if (key.kind !== 'identity') {
    throw new ArchiveError(`this archive is sealed to the recipient ${header.recipient}: give --identity with its secret key file`);
  }
  if (parseSecretKey(key.secretKey).publicKey !== header.recipient) {
    throw new ArchiveError(`wrong key: this archive is sealed to ${header.recipient}, and the identity given is another key's`);
  }
  return split(keysFromEphemeral(key.secretKey, header.ephemeral_public_key, INFO, 32), salt);
};

/**
 * Opens an archive file and yields its plaintext chunk by chunk, each authenticated
 * before it is yielded. Throws ArchiveError on a wrong key, a damaged or reordered
 * chunk, a missing last chunk (truncation) or bytes after it.
 */
export async function* openArchive(file: string, key: ArchiveOpenKey): AsyncGenerator<Buffer> {
  const handle = await open(file, 'r').catch((error: unknown) => {
    throw new ArchiveError(`cannot open ${file}: ${error instanceof Error ? error.message : String(error)}`);
  });
  try {
    let position = 0;
    const read = async (length: number, what: string): Promise<Buffer> => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      position += bytesRead;
      if (bytesRead !== length) {
        throw new ArchiveError(`the archive is truncated (${what} is incomplete)`);
      }
      return buffer;
    };
    const magic = await read(ARCHIVE_MAGIC.length + 4, 'the header');
    if (!magic.subarray(0, ARCHIVE_MAGIC.length).equals(ARCHIVE_MAGIC)) {
      throw new ArchiveError('not a Coffer backup archive (bad magic bytes)');
    }
    const headerLength = magic.readUInt32BE(ARCHIVE_MAGIC.length);
    if (headerLength > MAX_HEADER_BYTES) {
      throw new ArchiveError('the archive header is damaged (implausible length)');
    }
    const headerBytes = await read(headerLength, 'the header');
    const header = parseHeader(headerBytes);
    const check = await read(32, 'the key check');
    const keys = keysFor(header, key);
    const framed = Buffer.concat([magic, headerBytes]);
    if (!timingSafeEqual(check, createHmac('sha256', keys.checkKey).update(framed).digest())) {
      throw new ArchiveError(header.kdf === 'scrypt' ? 'wrong passphrase (or a damaged archive header)' : 'wrong key (or a damaged archive header)');
    }
    const aad = createHash('sha256').update(framed).digest();
    for (let index = 0; ; index += 1) {
      const length = (await read(4, `chunk ${index}`)).readUInt32BE(0);
      if (length < TAG_BYTES || length > CHUNK_BYTES + TAG_BYTES) {
        throw new ArchiveError(`the archive is corrupted (chunk ${index} has an implausible length)`);
      }
      const sealed = await read(length, `chunk ${index}`);
      const body = sealed.subarray(0, length - TAG_BYTES);
      const tag = sealed.subarray(length - TAG_BYTES);
      const attempt = (last: boolean): Buffer | null => {
        const decipher = createDecipheriv('aes-256-gcm', keys.chunkKey, ivOf(index, last));
        decipher.setAAD(aad);
        decipher.setAuthTag(tag);
        try {
          return Buffer.concat([decipher.update(body), decipher.final()]);
        } catch {
          return null;
        }
      };
      const middle = attempt(false);
      const plain = middle ?? attempt(true);
      if (plain === null) {
        throw new ArchiveError(`the archive is corrupted (chunk ${index} fails authentication)`);
      }
      yield plain;
      if (middle === null) {
        const extra = await handle.read(Buffer.alloc(1), 0, 1, position);
        if (extra.bytesRead !== 0) {
          throw new ArchiveError('the archive is corrupted (bytes after its last chunk)');
        }
        return;
      }
    }
  } finally {
    await handle.close();
  }
}
