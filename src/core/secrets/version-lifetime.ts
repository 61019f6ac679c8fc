import { MICROS_PER_SECOND } from '../../shared/clock.js';
import { parseCertificateChain } from './certificate.js';
import { ephemeralPropertiesFor } from './ephemeral.js';
import type { EphemeralProperties, Secret, SecretType } from './secret-model.js';

/**
 * The expiry a new version takes: its secret's ephemeral policy, or the secret's
 * `deactivate_version_after` (OVHcloud's name; Vault's `delete_version_after`) when that
 * comes first, which disables the version. The key/value APIs add their domain's default.
 */
export const ephemeralForNewVersion = (secret: Pick<Secret, 'ephemeralPolicy' | 'kvMetadata'>, now: number): EphemeralProperties | null => {
  const policy = ephemeralPropertiesFor(secret.ephemeralPolicy, now);
  const delay = secret.kvMetadata?.deleteVersionAfterSeconds ?? 0;
  if (delay <= 0) {
    return policy;
  }
  const deactivateAt = now + delay * MICROS_PER_SECOND;
  if (policy && policy.expiresAt !== null && policy.expiresAt <= deactivateAt) {
    return policy;
  }
  return { expiresAt: deactivateAt, expiresOnceAccessed: policy?.expiresOnceAccessed ?? null, action: 'disable' };
};

/** A certificate secret expires with its leaf certificate: the new version's `notAfter`, in µs; undefined for other types. */
export const certificateExpiry = (type: SecretType, bytes: Uint8Array, now: number): number | undefined => {
  if (type !== 'certificate') {
    return undefined;
  }
  const parsed = parseCertificateChain(Buffer.from(bytes).toString('utf8'), now / 1000);
  return parsed.ok ? parsed.notAfterMillis * 1000 : undefined;
};
