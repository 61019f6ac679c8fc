import { useState, type FormEvent, type ReactNode } from 'react';
import { post } from '../api';
import { ErrorMessage } from '../components/states';
import { IAM } from './iam-types';

/** A collapsible create form: submit sends `body(form)` to `url`, then reloads the list. */
export const CreateForm = ({ title, url, body, onCreated, children }: { title: string; url: string; body: (form: FormData) => unknown; onCreated: (result: unknown) => void; children: ReactNode }) => {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const form = event.currentTarget;
    setBusy(true);
    setError(null);
    try {
      onCreated(await post(url, body(new FormData(form))));
      form.reset();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="card create">
      <summary>{title}</summary>
      <form className="form" onSubmit={(event) => void submit(event)}>
        {children}
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating…' : title}
        </button>
      </form>
    </details>
  );
};

const text = (form: FormData, name: string): string => String(form.get(name) ?? '').trim();

export const UserCreate = ({ onCreated }: { onCreated: () => void }) => (
  <CreateForm title="Create user" url={`${IAM}/users`} onCreated={onCreated} body={(form) => ({ member: { email: text(form, 'email'), password: text(form, 'password') || undefined } })}>
    <label>
      Email
      <input name="email" type="email" required autoComplete="off" />
    </label>
    <label>
      Initial password (optional)
      <input name="password" type="password" autoComplete="new-password" />
    </label>
  </CreateForm>
);

export const ApplicationCreate = ({ onCreated }: { onCreated: () => void }) => (
  <CreateForm title="Create application" url={`${IAM}/applications`} onCreated={onCreated} body={(form) => ({ name: text(form, 'name'), description: text(form, 'description') })}>
    <label>
      Name
      <input name="name" required />
    </label>
    <label>
      Description
      <input name="description" />
    </label>
  </CreateForm>
);
