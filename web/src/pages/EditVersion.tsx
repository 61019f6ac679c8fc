import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { decodeUtf8, fromBase64, get, post, secretsApi, toBase64, utf8 } from '../api';
import { PayloadForm } from '../components/PayloadForm';
import { ErrorMessage, Loading } from '../components/states';
import type { Secret, Version } from '../types';

/** The newest revision the server has now, whatever its status. */
const newestRevision = async (secret: Secret): Promise<number> => {
  const result = await get<{ versions: Version[] }>(`${secretsApi(secret.region)}/secrets/${secret.id}/versions?page_size=100`);
  return Math.max(0, ...result.versions.map((version) => version.revision));
};

/**
 * Editing writes a new version. The editor remembers the revision it started from and,
 * before writing, checks that none was added since: a conflict is explained, never overwritten.
 */
export const EditVersion = ({ secret, baseRevision, onSaved, onCancel }: { secret: Secret; baseRevision: number; onSaved: () => void; onCancel: () => void }) => {
  const [initial, setInitial] = useState<string | null>(baseRevision === 0 ? '' : null);
  const [payload, setPayload] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [conflict, setConflict] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const onPayload = useCallback((text: string) => setPayload(text), []);

  useEffect(() => {
    if (baseRevision === 0) {
      return;
    }
    get<{ data: string }>(`${secretsApi(secret.region)}/secrets/${secret.id}/versions/${baseRevision}/access`).then(
      (result) => setInitial(decodeUtf8(fromBase64(result.data))),
      () => setInitial(''),
    );
  }, [secret, baseRevision]);

  const save = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const description = String(new FormData(event.currentTarget).get('description') ?? '');
    setBusy(true);
    setError(null);
    try {
      const newest = await newestRevision(secret);
      if (newest !== baseRevision) {
        setConflict(newest);
        return;
      }
      await post(`${secretsApi(secret.region)}/secrets/${secret.id}/versions`, { data: toBase64(utf8(payload)), description: description || null });
      onSaved();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  if (initial === null) {
    return <Loading what="the current value" />;
  }
  return (
    <form className="card form" onSubmit={(event) => void save(event)} aria-labelledby="edit-title">
      <h2 id="edit-title">New version of {secret.name}</h2>
      <p className="muted">Saving adds version {baseRevision + 1}; earlier versions stay as they are.</p>
      <PayloadForm type={secret.type} initial={initial} onChange={onPayload} />
      <label>
        Version description
        <input name="description" />
      </label>
      {conflict !== null && (
        <div className="error" role="alert" data-testid="cas-conflict">
          <strong>Conflict: this secret changed while you were editing.</strong> You started from version {baseRevision}, but version {conflict} has been
          added since. Your changes were not saved, so nothing was overwritten. Close the editor, look at version {conflict}, then apply your changes again.
        </div>
      )}
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="button" onClick={onCancel}>
          {conflict === null ? 'Cancel' : 'Close editor'}
        </button>
        <button type="submit" className="primary" disabled={busy || conflict !== null}>
          {busy ? 'Saving…' : 'Save as new version'}
        </button>
      </div>
    </form>
  );
};
