import { useEffect, useState } from 'react';
import { get, query, secretsApi } from '../api';
import { PathTree } from '../components/PathTree';
import { RegionSelect } from '../components/RegionSelect';
import { Empty, ErrorMessage, Loading } from '../components/states';
import { linkProps } from '../router';
import { can, formatDate, SECRET_TYPES, type Secret, type Session } from '../types';

const PAGE_SIZE = 20;

interface Filters {
  path: string;
  name: string;
  tag: string;
  type: string;
  status: 'active' | 'pending_deletion';
}

const expirationOf = (secret: Secret): string =>
  secret.ephemeral_policy?.time_to_live ? `${secret.ephemeral_policy.time_to_live} after each version (${secret.ephemeral_policy.action})` : '—';

export const SecretsList = ({ session, region, setRegion }: { session: Session; region: string; setRegion: (region: string) => void }) => {
  const [filters, setFilters] = useState<Filters>({ path: '/', name: '', tag: '', type: '', status: 'active' });
  const [page, setPage] = useState(1);
  const [result, setResult] = useState<{ secrets: Secret[]; total_count: number } | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    setResult(null);
    setError(null);
    const params = {
      path: filters.path === '/' ? undefined : filters.path,
      name: filters.name,
      tags: filters.tag,
      type: filters.type,
      scheduled_for_deletion: filters.status === 'pending_deletion' ? 'true' : undefined,
      page,
      page_size: PAGE_SIZE,
      order_by: 'name_asc',
    };
    get<{ secrets: Secret[]; total_count: number }>(`${secretsApi(region)}/secrets${query(params)}`).then(setResult, setError);
  }, [region, filters, page]);

  const update = (change: Partial<Filters>): void => {
    setFilters((previous) => ({ ...previous, ...change }));
    setPage(1);
  };
  const pages = result ? Math.max(1, Math.ceil(result.total_count / PAGE_SIZE)) : 1;

  return (
    <section aria-labelledby="secrets-title">
      <div className="titlebar">
        <h1 id="secrets-title">Secrets</h1>
        <RegionSelect session={session} region={region} setRegion={(next) => { setRegion(next); update({ path: '/' }); }} />
        {can(session, 'secrets:secret:create') && (
          <a className="button primary" {...linkProps('/secrets/new')}>
            Create secret
          </a>
        )}
      </div>
      <div className="split">
        <PathTree region={region} path={filters.path} onPath={(path) => update({ path })} />
        <div className="grow">
          <form className="filters" role="search" aria-label="Filter secrets" onSubmit={(event) => event.preventDefault()}>
            <label>
              Name
              <input value={filters.name} onChange={(event) => update({ name: event.target.value })} />
            </label>
            <label>
              Tag
              <input value={filters.tag} onChange={(event) => update({ tag: event.target.value })} />
            </label>
            <label>
              Type
              <select value={filters.type} onChange={(event) => update({ type: event.target.value })}>
                <option value="">Any</option>
                {SECRET_TYPES.map((type) => (
                  <option key={type}>{type}</option>
                ))}
              </select>
            </label>
            <label>
              Status
              <select value={filters.status} onChange={(event) => update({ status: event.target.value === 'pending_deletion' ? 'pending_deletion' : 'active' })}>
                <option value="active">Active</option>
                <option value="pending_deletion">Pending deletion</option>
              </select>
            </label>
          </form>
          <ErrorMessage error={error} />
          {!result && !error ? <Loading what="secrets" /> : null}
          {result && result.secrets.length === 0 ? (
            <Empty>
              No secrets match in <strong>{region}</strong> at <code>{filters.path}</code>.
              {can(session, 'secrets:secret:create') ? ' Create one to get started.' : ''}
            </Empty>
          ) : null}
          {result && result.secrets.length > 0 ? (
            <div className="table-wrap">
              <table>
                <caption className="sr-only">Secrets in {region}</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Path</th>
                    <th scope="col">Type</th>
                    <th scope="col">Created</th>
                    <th scope="col">Expiration</th>
                    <th scope="col">Status</th>
                    <th scope="col">Versions</th>
                  </tr>
                </thead>
                <tbody>
                  {result.secrets.map((secret) => (
                    <tr key={secret.id}>
                      <td data-label="Name">
                        <a {...linkProps(`/secrets/${region}/${secret.id}`)}>{secret.name}</a>
                      </td>
                      <td data-label="Path">{secret.path}</td>
                      <td data-label="Type">{secret.type}</td>
                      <td data-label="Created">{formatDate(secret.created_at)}</td>
                      <td data-label="Expiration">{expirationOf(secret)}</td>
                      <td data-label="Status">
                        <span className={`badge ${secret.deletion_requested_at ? 'warn' : 'ok'}`}>{secret.deletion_requested_at ? 'pending deletion' : secret.status}</span>
                      </td>
                      <td data-label="Versions">{secret.version_count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {result ? (
            <nav className="pager" aria-label="Pages">
              <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                Previous
              </button>
              <span>
                Page {page} of {pages} · {result.total_count} {result.total_count === 1 ? 'secret' : 'secrets'}
              </span>
              <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
                Next
              </button>
            </nav>
          ) : null}
        </div>
      </div>
    </section>
  );
};
