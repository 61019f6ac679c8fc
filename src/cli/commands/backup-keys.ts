import { existsSync, readFileSync } from 'node:fs';
import type { ArchiveOpenKey, ArchiveSealKey } from '../../shared/backup/archive.js';
import { parsePublicKey, PUBLIC_KEY_PREFIX, RecipientKeyError, secretKeyInFile } from '../../shared/backup/recipient-keys.js';
import { CliError, EXIT } from '../errors.js';

export interface KeyFlags {
  passphraseFile?: string;
  recipient?: string;
  identity?: string;
}

export const PASSPHRASE_ENV = 'COFFER_BACKUP_PASSPHRASE';
const MIN_PASSPHRASE = 12;

const readText = (file: string, what: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read the ${what} ${file}: ${error instanceof Error ? error.message : String(error)}`, EXIT.config);
  }
};

/** From a file (its first line) or the environment; never from argv, which other users can see. */
const passphrase = (flags: KeyFlags): string | undefined => {
  const value = flags.passphraseFile ? (readText(flags.passphraseFile, 'passphrase file').split('\n')[0] ?? '') : process.env[PASSPHRASE_ENV];
  if (value === undefined) {
    return undefined;
  }
  if (value.length < MIN_PASSPHRASE) {
    throw new CliError(`the passphrase must be at least ${MIN_PASSPHRASE} characters`, EXIT.usage);
  }
  return value;
};

/** A public key given inline, or the file that holds one (as `coffer import keygen` prints and writes it). */
export const recipientOf = (value: string): string => {
  const text = value.startsWith(PUBLIC_KEY_PREFIX) || !existsSync(value) ? value : (readText(value, 'recipient file').split('\n').find((line) => line.trim().startsWith(PUBLIC_KEY_PREFIX)) ?? '').trim();
  try {
    parsePublicKey(text);
  } catch (error) {
    throw new CliError(error instanceof RecipientKeyError ? `--recipient: ${error.message}` : '--recipient is not a valid key', EXIT.usage);
  }
  return text;
};

export const identityOf = (file: string): string => {
  try {
    return secretKeyInFile(readText(file, 'identity file'));
  } catch (error) {
    throw new CliError(error instanceof RecipientKeyError ? `--identity: ${error.message}` : String(error), EXIT.config);
  }
};

export const sealKeyOf = (flags: KeyFlags): ArchiveSealKey => {
  const secret = passphrase(flags);
  if (flags.recipient && secret !== undefined) {
    throw new CliError(`give either --recipient or a passphrase (--passphrase-file or ${PASSPHRASE_ENV}), not both`, EXIT.usage);
  }
  if (flags.recipient) {
    return { kind: 'recipient', publicKey: recipientOf(flags.recipient) };
  }
  if (secret !== undefined) {
    return { kind: 'passphrase', passphrase: secret };
  }
  throw new CliError(`a backup is always encrypted: give --recipient <public key> or a passphrase (--passphrase-file or ${PASSPHRASE_ENV})`, EXIT.usage);
};

export const openKeyOf = (flags: KeyFlags): ArchiveOpenKey => {
  if (flags.identity) {
    return { kind: 'identity', secretKey: identityOf(flags.identity) };
  }
  const secret = passphrase(flags);
  if (secret !== undefined) {
    return { kind: 'passphrase', passphrase: secret };
  }
  throw new CliError(`give the archive's key: --identity <secret key file>, or a passphrase (--passphrase-file or ${PASSPHRASE_ENV})`, EXIT.usage);
};
