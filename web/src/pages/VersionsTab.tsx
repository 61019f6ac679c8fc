import { useState } from 'react';
import { del, post, secretsApi } from '../api';
import { Confirm } from '../components/Dialog';
import { Empty, ErrorMessage } from '../components/states';
import { can, formatDate, type Secret, type Session, type Version } from '../types';

type Pending = { kind: 'disable' | 'enable' | 'delete'; revision: number };

/** Every version with display, disable or enable, and delete; each change asks first. */
export const VersionsTab = ({ session, secret, versions, onDisplay, onChanged }: { session: Session; secret: Secret; versions: Version[]; onDisplay: (revision: number) => void; onChanged: () => void }) => {
  const [pending, setPending] = useState<Pending | null>(null);
  const [error, setError] = useState<unknown>(null);
  const mayUpdate = can(session, 'secrets:version:update');
  const mayDelete = can(session, 'secrets:version:delete');

  const run = async ({ kind, revision }: Pending): Promise<void> => {
    setPending(null);
    setError(null);
    const url = `${secretsApi(secret.region)}/secrets/${secret.id}/versions/${revision}`;
    try {
      await (kind === 'delete' ? del(url) : post(`${url}/${kind}`));
      onChanged();
    } catch (failure) {
      setError(failure);
    }
  };

  if (versions.length === 0) {
    return <Empty>This secret has no version yet.</Empty>;
  }
  return (
    <div>
      <ErrorMessage error={error} />
      <div className="table-wrap">
        <table>
          <caption className="sr-only">Versions of {secret.name}</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Description</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((version) => (
              <tr key={version.revision}>
                <td data-label="Version">
                  {version.revision}
                  {version.latest ? ' (latest)' : ''}
                </td>
                <td data-label="Status">
                  <span className={`badge ${version.status === 'enabled' ? 'ok' : 'warn'}`}>{version.status}</span>
                </td>
                <td data-label="Created">{formatDate(version.created_at)}</td>
                <td data-label="Description">{version.description ?? '—'}</td>
                <td data-label="Actions" className="row-actions">
                  <button type="button" disabled={version.status !== 'enabled'} onClick={() => onDisplay(version.revision)} aria-label={`Display version ${version.revision}`}>
                    Display
                  </button>
                  {mayUpdate && version.status === 'enabled' && (
                    <button type="button" onClick={() => setPending({ kind: 'disable', revision: version.revision })} aria-label={`Disable version ${version.revision}`}>
                      Disable
                    </button>
                  )}
                  {mayUpdate && version.status === 'disabled' && (
                    <button type="button" onClick={() => setPending({ kind: 'enable', revision: version.revision })} aria-label={`Enable version ${version.revision}`}>
                      Enable
                    </button>
                  )}
                  {mayDelete && version.status !== 'deleted' && version.status !== 'scheduled_for_deletion' && (
                    <button type="button" className="danger" onClick={() => setPending({ kind: 'delete', revision: version.revision })} aria-label={`Delete version ${version.revision}`}>
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pending && (
        <Confirm
          title={`${pending.kind[0]?.toUpperCase() ?? ''}${pending.kind.slice(1)} version ${pending.revision}?`}
          message={
            pending.kind === 'delete'
              ? 'Its value is destroyed for good. Clients reading this version will fail.'
              : pending.kind === 'disable'
                ? 'Clients reading this version (or "latest", if it is the latest) will fail until it is enabled again.'
                : 'Clients can read this version again.'
          }
          confirmLabel={`${pending.kind[0]?.toUpperCase() ?? ''}${pending.kind.slice(1)} version ${pending.revision}`}
          onConfirm={() => void run(pending)}
          onCancel={() => setPending(null)}
        />
      )}
    </div>
  );
};
