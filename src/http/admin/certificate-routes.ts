import type { FastifyInstance } from 'fastify';
import type { CertificateService } from '../../core/secrets/index.js';
import { actorOf } from '../auth.js';
import { sendJson } from '../json.js';
import { revisionParam, uuidParam } from '../scaleway/params.js';

/**
 * A certificate secret's subject, SANs, issuer, validity and fingerprint: Scaleway's
 * Secret shape has no field for them, so Coffer serves them here. Needs only the right
 * to read the secret's metadata.
 */
export const registerCertificateRoutes = (app: FastifyInstance, certificates: CertificateService): void => {
  app.get('/regions/:region/secrets/:secret_id/versions/:revision/certificate', async (request, reply) => {
    const params = request.params as { region: string; secret_id?: string; revision?: string };
    const found = await certificates.details(actorOf(request), params.region, uuidParam(params.secret_id, 'secret_id'), revisionParam(params.revision));
    const { details } = found;
    return sendJson(reply, 200, {
      revision: found.revision,
      subject: details.subject,
      issuer: details.issuer,
      subject_alt_names: details.subjectAltNames,
      serial_number: details.serialNumber,
      fingerprint_sha256: details.fingerprintSha256,
      not_before: details.notBefore,
      not_after: details.notAfter,
      expired: found.expired,
      chain_length: details.chainLength,
      has_private_key: details.hasPrivateKey,
    });
  });
};
