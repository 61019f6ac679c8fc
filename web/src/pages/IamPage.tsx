import { useCallback, useEffect, useState } from 'react';
import { get } from '../api';
import { ErrorMessage, Loading } from '../components/states';
import { Table } from '../components/Table';
import { linkProps } from '../router';
import { can, formatDate, type Session } from '../types';
import { ApiKeyCreate } from './ApiKeyCreate';
import { IAM, type ApiKey, type Application, type Policy, type User } from './iam-types';
import { ApplicationCreate, UserCreate } from './PrincipalCreate';
import { PolicyCreate } from './PolicyCreate';

const TABS = [
  ['users', 'Users'],
  ['applications', 'Applications'],
  ['policies', 'Policies'],
  ['api-keys', 'API keys'],
] as const;

interface Data {
  users: User[];
  applications: Application[];
  policies: Policy[];
  apiKeys: ApiKey[];
}

const principalOf = (policy: Policy, data: Data): string =>
  policy.user_id
    ? `user ${data.users.find((user) => user.id === policy.user_id)?.email ?? policy.user_id}`
    : policy.application_id
      ? `application ${data.applications.find((app) => app.id === policy.application_id)?.name ?? policy.application_id}`
      : policy.group_id
        ? `group ${policy.group_id}`
        : 'not attached';

/** Users, applications, policies and API keys, through Scaleway's IAM API. */
export const IamPage = ({ session, tab }: { session: Session; tab: string }) => {
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<unknown>(null);
  const mayWrite = can(session, 'iam:write');

  const load = useCallback(() => {
    setError(null);
    Promise.all([
      get<{ users: User[] }>(`${IAM}/users`),
      get<{ applications: Application[] }>(`${IAM}/applications`),
      get<{ policies: Policy[] }>(`${IAM}/policies`),
      get<{ api_keys: ApiKey[] }>(`${IAM}/api-keys`),
    ]).then(([users, applications, policies, keys]) => setData({ users: users.users, applications: applications.applications, policies: policies.policies, apiKeys: keys.api_keys }), setError);
  }, []);
  useEffect(load, [load]);

  return (
    <section aria-labelledby="iam-title">
      <h1 id="iam-title">Identity and access</h1>
      <nav className="tabs" aria-label="IAM sections">
        {TABS.map(([name, label]) => (
          <a key={name} {...linkProps(`/iam/${name}`)} aria-current={tab === name ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
      <ErrorMessage error={error} />
      {!data && !error ? <Loading what="IAM" /> : null}
      {data && tab === 'users' && (
        <>
          {mayWrite && <UserCreate onCreated={load} />}
          <Table caption="Users" rows={data.users} rowKey={(user) => user.id} empty="No users yet." columns={[
            { label: 'Email', cell: (user) => user.email },
            { label: 'Type', cell: (user) => user.type },
            { label: 'Created', cell: (user) => formatDate(user.created_at) },
            { label: 'Last sign-in', cell: (user) => formatDate(user.last_login_at) },
          ]} />
        </>
      )}
      {data && tab === 'applications' && (
        <>
          {mayWrite && <ApplicationCreate onCreated={load} />}
          <Table caption="Applications" rows={data.applications} rowKey={(app) => app.id} empty="No applications yet." columns={[
            { label: 'Name', cell: (app) => app.name },
            { label: 'Description', cell: (app) => app.description || '—' },
            { label: 'API keys', cell: (app) => app.nb_api_keys },
            { label: 'Created', cell: (app) => formatDate(app.created_at) },
          ]} />
        </>
      )}
      {data && tab === 'policies' && (
        <>
          {mayWrite && <PolicyCreate organizationId={session.organization_id} users={data.users} applications={data.applications} onCreated={load} />}
          <Table caption="Policies" rows={data.policies} rowKey={(policy) => policy.id} empty="No policies yet." columns={[
            { label: 'Name', cell: (policy) => policy.name },
            { label: 'Attached to', cell: (policy) => principalOf(policy, data) },
            { label: 'Rules', cell: (policy) => policy.nb_rules },
            { label: 'Description', cell: (policy) => policy.description || '—' },
          ]} />
        </>
      )}
      {data && tab === 'api-keys' && (
        <>
          {mayWrite && <ApiKeyCreate users={data.users} applications={data.applications} onCreated={load} />}
          <Table caption="API keys" rows={data.apiKeys} rowKey={(key) => key.access_key} empty="No API keys yet." columns={[
            { label: 'Access key', cell: (key) => <code>{key.access_key}</code> },
            { label: 'Owner', cell: (key) => (key.user_id ? `user ${data.users.find((user) => user.id === key.user_id)?.email ?? key.user_id}` : key.application_id ? `application ${data.applications.find((app) => app.id === key.application_id)?.name ?? key.application_id}` : 'administrator') },
            { label: 'Description', cell: (key) => key.description || '—' },
            { label: 'Expires', cell: (key) => formatDate(key.expires_at) },
          ]} />
        </>
      )}
    </section>
  );
};
