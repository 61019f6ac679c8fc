import { useState, type FormEvent } from 'react';
import { post } from '../api';
import { ErrorMessage } from '../components/states';

/** Email and password, or an API secret key; both open the same kind of session. */
export const SignIn = ({ onSignedIn }: { onSignedIn: () => void }) => {
  const [mode, setMode] = useState<'password' | 'key'>('password');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = mode === 'password' ? { email: form.get('email'), password: form.get('password') } : { secret_key: form.get('secret_key') };
    setBusy(true);
    setError(null);
    try {
      await post('/coffer/v1/session', body);
      onSignedIn();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin" id="main">
      <h1>Sign in to Coffer</h1>
      <div role="tablist" aria-label="Sign-in method" className="tabs">
        <button type="button" role="tab" aria-selected={mode === 'password'} onClick={() => setMode('password')}>
          Email and password
        </button>
        <button type="button" role="tab" aria-selected={mode === 'key'} onClick={() => setMode('key')}>
          API key
        </button>
      </div>
      <form onSubmit={(event) => void submit(event)} className="card">
        {mode === 'password' ? (
          <>
            <label>
              Email
              <input name="email" type="email" autoComplete="username" required autoFocus />
            </label>
            <label>
              Password
              <input name="password" type="password" autoComplete="current-password" required />
            </label>
          </>
        ) : (
          <label>
            API secret key
            <input name="secret_key" type="password" autoComplete="off" required autoFocus placeholder="xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" />
          </label>
        )}
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
};
