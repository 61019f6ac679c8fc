import { useEffect, useState } from 'react';
import { get } from '../api';
import { ErrorMessage, Loading } from '../components/states';
import { formatDate } from '../types';

interface Details {
  subject: string;
  issuer: string;
  subject_alt_names: string[];
  serial_number: string;
  fingerprint_sha256: string;
  not_before: string;
  not_after: string;
  expired: boolean;
  chain_length: number;
  has_private_key: boolean;
}

/** Subject, issuer, SANs, validity and fingerprint of a certificate version; the server sends only these public facts. */
export const CertificateDetails = ({ region, secretId, revision }: { region: string; secretId: string; revision: number }) => {
  const [details, setDetails] = useState<Details | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setDetails(null);
    get<Details>(`/coffer/v1/regions/${region}/secrets/${secretId}/versions/${revision}/certificate`).then(setDetails, setError);
  }, [region, secretId, revision]);
  if (error) {
    return <ErrorMessage error={error} />;
  }
  if (!details) {
    return <Loading what="the certificate" />;
  }
  return (
    <section aria-labelledby="certificate-title" className="card">
      <h2 id="certificate-title">Certificate (version {revision})</h2>
      <dl className="info" data-testid="certificate-details">
        <dt>Subject</dt>
        <dd>{details.subject}</dd>
        <dt>Issuer</dt>
        <dd>{details.issuer}</dd>
        <dt>Subject alternative names</dt>
        <dd>{details.subject_alt_names.length === 0 ? '—' : details.subject_alt_names.join(', ')}</dd>
        <dt>Valid from</dt>
        <dd>{formatDate(details.not_before)}</dd>
        <dt>Expires</dt>
        <dd>
          {formatDate(details.not_after)} {details.expired ? <span className="badge warn">expired</span> : null}
        </dd>
        <dt>SHA-256 fingerprint</dt>
        <dd>
          <code>{details.fingerprint_sha256}</code>
        </dd>
        <dt>Chain</dt>
        <dd>
          {details.chain_length} certificate{details.chain_length === 1 ? '' : 's'}
          {details.has_private_key ? ', with its private key' : ''}
        </dd>
      </dl>
    </section>
  );
};
