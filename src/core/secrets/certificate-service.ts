import type { Clock } from '../../shared/clock.js';
import { preconditionFailed } from '../../shared/errors.js';
import type { Actor } from '../iam/index.js';
import type { KeyService } from '../keys/index.js';
import { parseCertificateChain, type CertificateDetails } from './certificate.js';
import { assertRegion, authorizeSecret, versionNotFound, type SecretsAuthorizer } from './secret-guards.js';
import type { RevisionSelector } from './secret-model.js';
import type { SecretStore } from './secret-store.js';

export interface CertificateServiceDeps {
  store: SecretStore;
  keys: Pick<KeyService, 'openPayload'>;
  iam: SecretsAuthorizer;
  clock: Clock;
  regions: readonly string[];
}

/**
 * What a certificate secret is (subject, SANs, issuer, validity, fingerprint), for anyone
 * who may read the secret's metadata: the payload is opened here and only public facts
 * about the certificate leave, never the chain or the key.
 */
export const createCertificateService = ({ store, keys, iam, clock, regions }: CertificateServiceDeps) => ({
  async details(actor: Actor, region: string, secretId: string, selector: RevisionSelector): Promise<{ revision: number; expired: boolean; details: CertificateDetails }> {
    assertRegion(regions, region);
    const found = await store.readVersionWithPayload(region, secretId, selector);
    const secret = authorizeSecret(iam, actor, found?.secret ?? (await store.getSecret(region, secretId)), secretId, 'secrets:secret:read');
    if (!found) {
      throw versionNotFound(selector);
    }
    if (secret.type !== 'certificate') {
      throw preconditionFailed('secret_type', `secret ${secret.id} is of type ${secret.type}: only certificate secrets have certificate details`);
    }
    if (!found.sealed) {
      throw preconditionFailed('secret_version_deleted', `secret version ${found.version.revision} is deleted and its data is gone`);
    }
    const data = await keys.openPayload({ projectId: secret.projectId, region, secretId: secret.id, revision: found.version.revision, keyId: secret.keyId }, found.sealed);
    // Validated when written; read here with no clock, so an expired one still describes itself.
    const parsed = parseCertificateChain(data.toString('utf8'), Number.NEGATIVE_INFINITY);
    if (!parsed.ok) {
      throw preconditionFailed('certificate_unreadable', 'the version does not hold a readable certificate chain');
    }
    return { revision: found.version.revision, expired: parsed.notAfterMillis <= clock.nowMicros() / 1000, details: parsed.details };
  },
});

export type CertificateService = ReturnType<typeof createCertificateService>;
