import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { del, get, post, secretsApi, toBase64, utf8 } from '../api';
import { PayloadForm } from '../components/PayloadForm';
import { TYPE_LABELS } from '../components/payload';
import { RegionSelect } from '../components/RegionSelect';
import { ErrorMessage, Notice } from '../components/states';
import { navigate } from '../router';
import { can, SECRET_TYPES, type Secret, type SecretType, type Session } from '../types';

interface Key {
  id: string;
  name: string;
  state: string;
}

const splitPath = (full: string): { path: string; name: string } => {
  const parts = full.split('/').filter(Boolean);
  const name = parts.pop() ?? '';
  return { path: `/${parts.join('/')}`, name };
};

/** Region, path and name, type, then the typed value and settings; the secret and its first version in one step. */
export const CreateSecret = ({ session, region, setRegion }: { session: Session; region: string; setRegion: (region: string) => void }) => {
  const [type, setType] = useState<SecretType>('key_value');
  const [payload, setPayload] = useState('');
  const [keys, setKeys] = useState<Key[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const onPayload = useCallback((text: string) => setPayload(text), []);

  useEffect(() => {
    get<{ keys: Key[] }>(`/key-manager/v1alpha1/regions/${region}/keys?page_size=100`).then(
      (result) => setKeys(result.keys.filter((key) => key.state === 'enabled')),
      () => setKeys([]),
    );
  }, [region]);

  if (!can(session, 'secrets:secret:create')) {
    return <Notice>Your policies do not allow creating secrets. Ask an administrator for SecretManagerFullAccess or SecretManagerSecretCreate.</Notice>;
  }

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string): string => String(form.get(name) ?? '').trim();
    const { path, name } = splitPath(text('full_path'));
    const ttl = text('ttl');
    setBusy(true);
    setError(null);
    let created: Secret | null = null;
    try {
      created = await post<Secret>(`${secretsApi(region)}/secrets`, {
        name,
        path,
        type,
        description: text('description') || null,
        tags: text('tags').split(',').map((tag) => tag.trim()).filter(Boolean),
        protected: form.get('protected') === 'on',
        key_id: text('key_id') || null,
        ephemeral_policy: ttl ? { time_to_live: `${Number(ttl) * 3600}s`, expires_once_accessed: form.get('once') === 'on', action: text('eph_action') || 'disable' } : null,
      });
      if (payload !== '') {
        await post(`${secretsApi(region)}/secrets/${created.id}/versions`, { data: toBase64(utf8(payload)) });
      }
      navigate(`/secrets/${region}/${created.id}`);
    } catch (failure) {
      // One step for the user: a secret whose value was refused is taken back.
      if (created) {
        await del(`${secretsApi(region)}/secrets/${created.id}`).catch(() => undefined);
      }
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="create-title">
      <h1 id="create-title">Create a secret</h1>
      <form className="card form" onSubmit={(event) => void submit(event)}>
        <RegionSelect session={session} region={region} setRegion={setRegion} />
        <label>
          Path and name
          <input name="full_path" required placeholder="prod/database/MySQL" pattern="[^\s]*[^/\s]" aria-describedby="path-help" />
        </label>
        <p id="path-help" className="muted">
          The last segment is the secret's name; the rest is its folder.
        </p>
        <label>
          Type
          <select name="type" value={type} onChange={(event) => setType(event.target.value as SecretType)}>
            {SECRET_TYPES.map((option) => (
              <option key={option} value={option}>
                {TYPE_LABELS[option]}
              </option>
            ))}
          </select>
        </label>
        <PayloadForm key={type} type={type} onChange={onPayload} />
        <fieldset>
          <legend>Settings</legend>
          <label>
            Description
            <input name="description" />
          </label>
          <label>
            Tags (comma-separated)
            <input name="tags" placeholder="team-a, mysql" />
          </label>
          <label>
            Encryption key
            <select name="key_id" defaultValue="">
              <option value="">Project default key</option>
              {keys.map((key) => (
                <option key={key.id} value={key.id}>
                  {key.name} ({key.id.slice(0, 8)})
                </option>
              ))}
            </select>
          </label>
          <label className="check">
            <input type="checkbox" name="protected" /> Protected (cannot be deleted until unprotected)
          </label>
          <label>
            Ephemeral policy: versions expire after (hours, empty for never)
            <input name="ttl" type="number" min="1" inputMode="numeric" />
          </label>
          <label>
            When a version expires
            <select name="eph_action" defaultValue="disable">
              <option value="disable">disable it</option>
              <option value="delete">delete it</option>
            </select>
          </label>
          <label className="check">
            <input type="checkbox" name="once" /> Expire a version once it has been read
          </label>
        </fieldset>
        <ErrorMessage error={error} />
        <div className="actions">
          <button type="button" onClick={() => navigate('/')}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create secret'}
          </button>
        </div>
      </form>
    </section>
  );
};
