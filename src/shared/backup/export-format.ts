import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { keysForRecipient, keysFromEphemeral, parseSecretKey } from './recipient-keys.js';

/**
 * An export of selected secrets, sealed to one recipient's X25519 key: JSON Lines with a
 * header, one line per secret (metadata in clear, each version's payload sealed), and a
 * trailer whose HMAC covers every line before it. Keys: ephemeral-static ECDH, HKDF-SHA256,
 * AES-256-GCM per payload with the export id, the secret's ordinal and the revision as
 * AAD, so a payload moved to another secret, version or file fails to open.
 */
export const EXPORT_FORMAT = 'coffer-export/1';
const INFO = 'coffer/export/v1';

export interface ExportHeader {
  kind: 'header';
  format: typeof EXPORT_FORMAT;
  export_id: string;
  created_at: string;
  recipient: string;
  ephemeral_public_key: string;
  source: { region: string; project_id: string; path_prefix: string | null; tags: string[] };
}

export interface ExportVersionMeta {
  revision: number;
  status: string;
  description: string;
  created_at: string;
}

export interface ExportSecretMeta {
  name: string;
  path: string;
  type: string;
  description: string;
  tags: string[];
  protected: boolean;
}

interface SecretLine extends ExportSecretMeta {
  kind: 'secret';
  ordinal: number;
  versions: (ExportVersionMeta & { data: string | null })[];
}

export interface OpenedSecret extends ExportSecretMeta {
  versions: (ExportVersionMeta & { data: Buffer | null })[];
}

export class ExportFileError extends Error {}

const aadOf = (exportId: string, ordinal: number, revision: number): Buffer => Buffer.from(`${INFO}\0${exportId}\0${ordinal}\0${revision}`, 'utf8');

const keysOf = (okm: Buffer) => ({ payloadKey: okm.subarray(0, 32), macKey: okm.subarray(32, 64) });

/** The exporting side: seals each payload as it comes, never holding the whole file. */
export const createExportWriter = (recipient: string, source: ExportHeader['source'], createdAt: string) => {
  const derived = keysForRecipient(recipient, INFO, 64);
  const { payloadKey, macKey } = keysOf(derived.okm);
  const exportId = randomUUID();
  const mac = createHmac('sha256', macKey);
  let secrets = 0;
  let versions = 0;
  const line = (record: unknown): string => {
    const text = `${JSON.stringify(record)}\n`;
    mac.update(text);
    return text;
  };
  const seal = (ordinal: number, revision: number, data: Buffer): string => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', payloadKey, iv);
    cipher.setAAD(aadOf(exportId, ordinal, revision));
    return Buffer.concat([iv, cipher.update(data), cipher.final(), cipher.getAuthTag()]).toString('base64');
  };
  return {
    header: (): string =>
      line({ kind: 'header', format: EXPORT_FORMAT, export_id: exportId, created_at: createdAt, recipient, ephemeral_public_key: derived.ephemeralPublicKey, source } satisfies ExportHeader),
    secret: (meta: ExportSecretMeta, items: (ExportVersionMeta & { data: Buffer | null })[]): string => {
      const ordinal = secrets;
      secrets += 1;
      versions += items.length;
      const sealed = items.map((item) => ({ ...item, data: item.data === null ? null : seal(ordinal, item.revision, item.data) }));
      return line({ kind: 'secret', ordinal, ...meta, versions: sealed } satisfies SecretLine);
    },
    trailer: (): string => `${JSON.stringify({ kind: 'trailer', secrets, versions, mac: mac.digest('hex') })}\n`,
  };
};

const parse = (text: string, number: number): Record<string, unknown> => {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // reported below
  }
  throw new ExportFileError(`line ${number} of the export is not a JSON object`);
};

/**
 * The importing side: checks the whole file's HMAC before opening any payload, so a
 * tampered, truncated or reordered file is refused as a whole, then opens every payload.
 */
export const openExport = (lines: readonly string[], secretKey: string): { header: ExportHeader; secrets: OpenedSecret[] } => {
  const content = lines.filter((text) => text.trim() !== '');
  const [first, ...rest] = content;
  const header = first === undefined ? null : parse(first, 1);
  if (header?.kind !== 'header' || header.format !== EXPORT_FORMAT || typeof header.ephemeral_public_key !== 'string' || typeof header.export_id !== 'string') {
    throw new ExportFileError(`not a ${EXPORT_FORMAT} file (no header)`);
  }
  const typed = header as unknown as ExportHeader;
  if (parseSecretKey(secretKey).publicKey !== typed.recipient) {
    throw new ExportFileError(`wrong key: this export is sealed to ${typed.recipient}`);
  }
  const { payloadKey, macKey } = keysOf(keysFromEphemeral(secretKey, typed.ephemeral_public_key, INFO, 64));
  const trailerText = rest.at(-1);
  const trailer = trailerText === undefined ? null : parse(trailerText, content.length);
  if (trailer?.kind !== 'trailer' || typeof trailer.mac !== 'string') {
    throw new ExportFileError('the export ends without its trailer (truncated)');
  }
  const mac = createHmac('sha256', macKey);
  for (const text of content.slice(0, -1)) {
    mac.update(`${text}\n`);
  }
  const expected = mac.digest();
  const given = Buffer.from(trailer.mac, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new ExportFileError('the export fails its integrity check (changed, reordered or truncated)');
  }
  const secrets = rest.slice(0, -1).map((text, index) => {
    const line = parse(text, index + 2) as unknown as SecretLine;
    if (line.kind !== 'secret' || line.ordinal !== index || !Array.isArray(line.versions)) {
      throw new ExportFileError(`line ${index + 2} is not the export's secret number ${index}`);
    }
    const { kind: _kind, ordinal: _ordinal, ...meta } = line;
    return {
      ...meta,
      versions: line.versions.map((version) => {
        if (version.data === null) {
          return { ...version, data: null };
        }
        const sealed = Buffer.from(version.data, 'base64');
        const decipher = createDecipheriv('aes-256-gcm', payloadKey, sealed.subarray(0, 12));
        decipher.setAAD(aadOf(typed.export_id, index, version.revision));
        decipher.setAuthTag(sealed.subarray(sealed.length - 16));
        try {
          return { ...version, data: Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]) };
        } catch {
          throw new ExportFileError(`the payload of ${line.path}/${line.name} version ${version.revision} fails to open`);
        }
      }),
    };
  });
  return { header: typed, secrets };
};
