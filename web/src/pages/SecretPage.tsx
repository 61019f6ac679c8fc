import { useCallback, useEffect, useState } from 'react';
import { del, get, post, secretsApi } from '../api';
import { Confirm } from '../components/Dialog';
import { ErrorMessage, Loading, Notice } from '../components/states';
import { linkProps, navigate } from '../router';
import { can, formatDate, type Secret, type Session, type Version } from '../types';
import { AccessHistory } from './AccessHistory';
import { CertificateDetails } from './CertificateDetails';
import { EditVersion } from './EditVersion';
import { ValuePanel } from './ValuePanel';
import { VersionsTab } from './VersionsTab';

type Tab = 'overview' | 'versions' | 'history';

/** Coffer's own view of a secret's lifecycle: Scaleway's Secret has no field for it. */
interface Lifecycle {
  status: 'enabled' | 'disabled' | 'scheduled_for_deletion';
  disabled_at: string | null;
  expires_at: string | null;
}

const Info = ({ secret, lifecycle }: { secret: Secret; lifecycle: Lifecycle | null }) => (
  <dl className="info">
    <dt>Path</dt>
    <dd>{secret.path}</dd>
    <dt>Type</dt>
    <dd>{secret.type}</dd>
    <dt>Region</dt>
    <dd>{secret.region}</dd>
    <dt>ID</dt>
    <dd>
      <code>{secret.id}</code>
    </dd>
    <dt>Created</dt>
    <dd>{formatDate(secret.created_at)}</dd>
    <dt>Updated</dt>
    <dd>{formatDate(secret.updated_at)}</dd>
    <dt>Tags</dt>
    <dd>{secret.tags.length === 0 ? '—' : secret.tags.join(', ')}</dd>
    <dt>Description</dt>
    <dd>{secret.description || '—'}</dd>
    <dt>Protected</dt>
    <dd>{secret.protected ? 'yes' : 'no'}</dd>
    <dt>Status</dt>
    <dd>{lifecycle?.status ?? '—'}</dd>
    <dt>Expiration</dt>
    <dd>{lifecycle?.expires_at ? formatDate(lifecycle.expires_at) : 'never'}</dd>
    <dt>Encryption key</dt>
    <dd>{secret.key_id ?? 'project default'}</dd>
    <dt>Ephemeral policy</dt>
    <dd>
      {secret.ephemeral_policy
        ? `${secret.ephemeral_policy.time_to_live ?? 'no time limit'}, ${secret.ephemeral_policy.expires_once_accessed ? 'once read, ' : ''}then ${secret.ephemeral_policy.action}`
        : 'none'}
    </dd>
  </dl>
);

/** A secret: information and settings, its value, versions, editing, deletion and restore. */
export const SecretPage = ({ session, region, secretId }: { session: Session; region: string; secretId: string }) => {
  const [secret, setSecret] = useState<Secret | null>(null);
  const [versions, setVersions] = useState<Version[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [tab, setTab] = useState<Tab>('overview');
  const [display, setDisplay] = useState<number | null>(null);
  const [editing, setEditing] = useState(false);
  const [confirm, setConfirm] = useState<'delete' | null>(null);
  const [lifecycle, setLifecycle] = useState<Lifecycle | null>(null);
  const base = `${secretsApi(region)}/secrets/${secretId}`;
  const lifecycleBase = `/coffer/v1/regions/${encodeURIComponent(region)}/secrets/${secretId}`;

  const load = useCallback(() => {
    get<Secret>(base).then(setSecret, setError);
    get<Lifecycle>(`${lifecycleBase}/lifecycle`).then(setLifecycle, () => setLifecycle(null));
    get<{ versions: Version[] }>(`${base}/versions?page_size=100`).then((result) => setVersions([...result.versions].sort((a, b) => b.revision - a.revision)), setError);
  }, [base, lifecycleBase]);
  useEffect(load, [load]);

  const act = async (action: () => Promise<unknown>): Promise<void> => {
    setError(null);
    try {
      await action();
      load();
    } catch (failure) {
      setError(failure);
    }
  };

  if (!secret) {
    return error ? <ErrorMessage error={error} /> : <Loading what="the secret" />;
  }
  const latest = versions[0]?.revision ?? 0;
  const latestEnabled = versions.find((version) => version.status === 'enabled');
  const pending = secret.deletion_requested_at !== null;
  const disabled = lifecycle?.status === 'disabled';
  return (
    <section aria-labelledby="secret-title">
      <p>
        <a {...linkProps('/')}>← Secrets</a>
      </p>
      <div className="titlebar">
        <h1 id="secret-title">{secret.name}</h1>
        <span className={`badge ${pending || disabled ? 'warn' : 'ok'}`}>{pending ? 'pending deletion' : disabled ? 'deactivated' : (lifecycle?.status ?? secret.status)}</span>
        <div className="actions">
          {can(session, 'secrets:version:access') && (
            <button type="button" disabled={!latestEnabled} onClick={() => latestEnabled && setDisplay(latestEnabled.revision)}>
              Display the value
            </button>
          )}
          {!pending && can(session, 'secrets:version:create') && (
            <button type="button" onClick={() => { setEditing(true); setTab('overview'); }}>
              Edit (new version)
            </button>
          )}
          {!pending && can(session, 'secrets:secret:update') && (
            <button type="button" onClick={() => void act(() => post(`${base}/${secret.protected ? 'unprotect' : 'protect'}`))}>
              {secret.protected ? 'Unprotect' : 'Protect'}
            </button>
          )}
          {!pending && lifecycle && can(session, 'secrets:secret:update') && (
            <button type="button" onClick={() => void act(() => post(`${lifecycleBase}/${disabled ? 'enable' : 'disable'}`))}>
              {disabled ? 'Reactivate' : 'Deactivate'}
            </button>
          )}
          {!pending && can(session, 'secrets:secret:delete') && (
            <button type="button" className="danger" onClick={() => setConfirm('delete')}>
              Delete
            </button>
          )}
          {pending && can(session, 'secrets:secret:delete') && (
            <button type="button" className="primary" onClick={() => void act(() => post(`${base}/restore`))}>
              Restore
            </button>
          )}
        </div>
      </div>
      {disabled && <Notice>This secret is deactivated: no version can be read, through any API, until it is reactivated.</Notice>}
      {pending && <Notice>Deletion was requested on {formatDate(secret.deletion_requested_at)}. The secret is purged when the retention window ends; until then it can be restored.</Notice>}
      <ErrorMessage error={error} />
      <div role="tablist" aria-label="Secret sections" className="tabs">
        {(['overview', 'versions', 'history'] as const).map((name) => (
          <button key={name} type="button" role="tab" aria-selected={tab === name} onClick={() => setTab(name)}>
            {name === 'overview' ? 'Overview' : name === 'versions' ? `Versions (${versions.length})` : 'Access history'}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {tab === 'overview' &&
          (editing ? (
            <EditVersion secret={secret} baseRevision={latest} onCancel={() => { setEditing(false); load(); }} onSaved={() => { setEditing(false); load(); }} />
          ) : (
            <>
              <Info secret={secret} lifecycle={lifecycle} />
              {secret.type === 'certificate' && latestEnabled && <CertificateDetails region={region} secretId={secret.id} revision={latestEnabled.revision} />}
            </>
          ))}
        {tab === 'versions' && <VersionsTab session={session} secret={secret} versions={versions} onDisplay={setDisplay} onChanged={load} />}
        {tab === 'history' && <AccessHistory secretId={secret.id} />}
      </div>
      {display !== null && <ValuePanel secret={secret} versions={versions} initialRevision={display} onClose={() => setDisplay(null)} />}
      {confirm === 'delete' && (
        <Confirm
          title={`Delete ${secret.name}?`}
          message={<p>The secret and all its versions stop being readable now. They are purged for good after the retention window (7 days unless the server says otherwise); until then you can restore it.</p>}
          confirmLabel="Delete secret"
          typeToConfirm={secret.name}
          onConfirm={() => { setConfirm(null); void act(() => del(base)).then(() => navigate(`/secrets/${region}/${secret.id}`)); }}
          onCancel={() => setConfirm(null)}
        />
      )}
    </section>
  );
};
