import { useCallback, useEffect, useState } from 'react';
import { ApiError, del, get, whenSignedOut } from './api';
import { ErrorMessage, Loading } from './components/states';
import { AuditPage } from './pages/AuditPage';
import { CreateSecret } from './pages/CreateSecret';
import { IamPage } from './pages/IamPage';
import { SecretPage } from './pages/SecretPage';
import { SecretsList } from './pages/SecretsList';
import { SignIn } from './pages/SignIn';
import { linkProps, navigate, usePath } from './router';
import type { Session } from './types';

const SESSION_URL = '/coffer/v1/session';

const Page = ({ path, session, region, setRegion }: { path: string; session: Session; region: string; setRegion: (region: string) => void }) => {
  const secret = /^\/secrets\/([a-z]{2}-[a-z0-9]+)\/([0-9a-f-]{36})$/.exec(path);
  if (secret?.[1] && secret[2]) {
    return <SecretPage session={session} region={secret[1]} secretId={secret[2]} />;
  }
  if (path === '/secrets/new') {
    return <CreateSecret session={session} region={region} setRegion={setRegion} />;
  }
  if (path.startsWith('/iam')) {
    return <IamPage session={session} tab={path.split('/')[2] ?? 'users'} />;
  }
  if (path.startsWith('/audit')) {
    return <AuditPage session={session} />;
  }
  return <SecretsList session={session} region={region} setRegion={setRegion} />;
};

export const App = () => {
  const [session, setSession] = useState<Session | null>(null);
  const [state, setState] = useState<'loading' | 'signed-out' | 'ready'>('loading');
  const [error, setError] = useState<unknown>(null);
  const [region, setRegion] = useState('fr-par');
  const path = usePath();

  const load = useCallback(() => {
    get<Session>(SESSION_URL).then(
      (current) => {
        setSession(current);
        setRegion((previous) => (current.regions.includes(previous) ? previous : (current.regions[0] ?? previous)));
        setState('ready');
      },
      (failure: unknown) => {
        setState('signed-out');
        setError(failure instanceof ApiError && failure.status === 401 ? null : failure);
      },
    );
  }, []);

  useEffect(() => {
    whenSignedOut(() => setState('signed-out'));
    load();
  }, [load]);

  const signOut = async (): Promise<void> => {
    await del(SESSION_URL).catch(() => undefined);
    setSession(null);
    setState('signed-out');
    navigate('/');
  };

  if (state === 'loading') {
    return <Loading what="the console" />;
  }
  if (state === 'signed-out' || !session) {
    return (
      <>
        <ErrorMessage error={error} />
        <SignIn onSignedIn={load} />
      </>
    );
  }
  const section = path.startsWith('/iam') ? 'iam' : path.startsWith('/audit') ? 'audit' : 'secrets';
  return (
    <div className="layout">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <a className="brand" {...linkProps('/')}>
          Coffer
        </a>
        <nav aria-label="Main">
          <a {...linkProps('/')} aria-current={section === 'secrets' ? 'page' : undefined}>
            Secrets
          </a>
          <a {...linkProps('/iam/users')} aria-current={section === 'iam' ? 'page' : undefined}>
            IAM
          </a>
          <a {...linkProps('/audit')} aria-current={section === 'audit' ? 'page' : undefined}>
            Audit
          </a>
        </nav>
        <div className="who">
          <span title={`${session.role} · ${session.access_key}`}>{session.label}</span>
          <button type="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page path={path} session={session} region={region} setRegion={setRegion} />
      </main>
    </div>
  );
};
