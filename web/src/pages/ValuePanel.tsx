import { useEffect, useId, useState } from 'react';
import { decodeUtf8, fromBase64, get, secretsApi } from '../api';
import { CopyButton } from '../components/Dialog';
import { ErrorMessage, Loading } from '../components/states';
import type { Secret, Version } from '../types';

/** Pretty JSON for structured types, the text itself otherwise. */
const display = (text: string): string => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};

/** "Display the value": a side panel with a version selector; values stay masked until revealed. */
export const ValuePanel = ({ secret, versions, initialRevision, onClose }: { secret: Secret; versions: Version[]; initialRevision: number; onClose: () => void }) => {
  const selectId = useId();
  const [revision, setRevision] = useState(initialRevision);
  const [value, setValue] = useState<string | null>(null);
  const [revealed, setRevealed] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const selected = versions.find((version) => version.revision === revision);
  const readable = selected?.status === 'enabled';

  useEffect(() => {
    setValue(null);
    setError(null);
    setRevealed(false);
    if (!readable) {
      return;
    }
    get<{ data: string }>(`${secretsApi(secret.region)}/secrets/${secret.id}/versions/${revision}/access`).then(
      (result) => setValue(display(decodeUtf8(fromBase64(result.data)))),
      setError,
    );
  }, [secret, revision, readable]);

  return (
    <aside className="side-panel" role="dialog" aria-modal="false" aria-labelledby="value-title" onKeyDown={(event) => event.key === 'Escape' && onClose()}>
      <div className="titlebar">
        <h2 id="value-title">Value of {secret.name}</h2>
        <button type="button" onClick={onClose} aria-label="Close the value panel" autoFocus>
          ✕
        </button>
      </div>
      <label htmlFor={selectId}>Version</label>
      <select id={selectId} value={revision} onChange={(event) => setRevision(Number(event.target.value))}>
          {versions.map((version) => (
            <option key={version.revision} value={version.revision}>
              {version.revision} — {version.status}
              {version.latest ? ' (latest)' : ''}
            </option>
          ))}
      </select>
      {!readable ? (
        <p className="notice" role="status">
          Version {revision} is {selected?.status ?? 'unknown'}: it has no value to show. Enable it first to read it.
        </p>
      ) : (
        <>
          <ErrorMessage error={error} />
          {value === null && !error ? <Loading what="the value" /> : null}
          {value !== null ? (
            <>
              <pre className="value" aria-label="Secret value" data-testid="secret-value">
                {revealed ? value : '•'.repeat(Math.min(24, Math.max(8, value.length)))}
              </pre>
              <div className="actions">
                <button type="button" onClick={() => setRevealed(!revealed)} aria-pressed={revealed}>
                  {revealed ? 'Hide' : 'Reveal'}
                </button>
                <CopyButton text={value} label="Copy value" />
              </div>
            </>
          ) : null}
        </>
      )}
    </aside>
  );
};
