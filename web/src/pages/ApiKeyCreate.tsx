import { useState } from 'react';
import { CopyButton, Dialog } from '../components/Dialog';
import { CreateForm } from './PrincipalCreate';
import { IAM, type ApiKey, type Application, type User } from './iam-types';

/** A new key for a user or an application; its secret is shown once, with a warning and a copy button. */
export const ApiKeyCreate = ({ users, applications, onCreated }: { users: User[]; applications: Application[]; onCreated: () => void }) => {
  const [created, setCreated] = useState<ApiKey | null>(null);
  return (
    <>
      <CreateForm
        title="Create API key"
        url={`${IAM}/api-keys`}
        onCreated={(result) => {
          setCreated(result as ApiKey);
          onCreated();
        }}
        body={(form) => {
          const [kind, id] = String(form.get('owner') ?? '').split(':');
          return { ...(kind === 'user' ? { user_id: id } : { application_id: id }), description: String(form.get('description') ?? '') };
        }}
      >
        <label>
          Owner
          <select name="owner" required>
            {applications.map((app) => (
              <option key={app.id} value={`application:${app.id}`}>
                application {app.name}
              </option>
            ))}
            {users.map((user) => (
              <option key={user.id} value={`user:${user.id}`}>
                user {user.email}
              </option>
            ))}
          </select>
        </label>
        <label>
          Description
          <input name="description" />
        </label>
      </CreateForm>
      {created?.secret_key && (
        <Dialog title="Your new API key" onClose={() => setCreated(null)}>
          <p className="warning" role="alert">
            <strong>Copy the secret key now.</strong> It is shown only this once: Coffer keeps only a hash of it and cannot show it again.
          </p>
          <dl className="info">
            <dt>Access key</dt>
            <dd>
              <code>{created.access_key}</code>
            </dd>
            <dt>Secret key</dt>
            <dd>
              <code data-testid="new-secret-key">{created.secret_key}</code> <CopyButton text={created.secret_key} label="Copy secret key" />
            </dd>
          </dl>
          <div className="actions">
            <button type="button" className="primary" onClick={() => setCreated(null)}>
              I have stored it
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
};
