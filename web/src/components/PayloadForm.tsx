import { useEffect, useId, useState } from 'react';
import { utf8 } from '../api';
import type { SecretType } from '../types';
import { MAX_PAYLOAD_BYTES, TYPE_FIELDS, formFromPayload, parsePairs, payloadText, type Pair } from './payload';

const readFile = (file: File): Promise<string> => file.text();

const SizeMeter = ({ bytes }: { bytes: number }) => {
  const share = bytes / MAX_PAYLOAD_BYTES;
  return (
    <p className={`size ${share > 1 ? 'error' : share > 0.8 ? 'warn' : 'muted'}`} aria-live="polite">
      {bytes.toLocaleString()} of {MAX_PAYLOAD_BYTES.toLocaleString()} bytes (64 KiB){share > 1 ? ' — too large, the server will refuse it' : share > 0.8 ? ' — close to the limit' : ''}
    </p>
  );
};

/** The typed form for one credential type; reports the payload text it makes on every change. */
export const PayloadForm = ({ type, initial, onChange }: { type: SecretType; initial?: string; onChange: (text: string) => void }) => {
  const id = useId();
  const start = formFromPayload(type, initial ?? '');
  const [fields, setFields] = useState(start.fields);
  const [pairs, setPairs] = useState<Pair[]>(start.pairs.length > 0 ? start.pairs : [{ key: '', value: '' }]);
  const [text, setText] = useState(start.text);
  const [keyText, setKeyText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const payload = type === 'certificate' && keyText !== '' ? `${text.trim()}\n${keyText.trim()}\n` : payloadText(type, { engine: 'postgres', ...fields }, pairs, text);

  useEffect(() => onChange(payload), [payload, onChange]);

  const typed = TYPE_FIELDS[type];
  const setField = (name: string, value: string): void => setFields((previous) => ({ ...previous, [name]: value }));

  return (
    <fieldset className="payload">
      <legend>Value</legend>
      {typed?.map((field) =>
        field.name === 'engine' ? (
          <label key={field.name}>
            {field.label}
            <select value={fields.engine ?? 'postgres'} onChange={(event) => setField('engine', event.target.value)}>
              <option>postgres</option>
              <option>mysql</option>
              <option>other</option>
            </select>
          </label>
        ) : (
          <label key={field.name}>
            {field.label}
            {field.multiline ? (
              <textarea name={field.name} rows={6} value={fields[field.name] ?? ''} onChange={(event) => setField(field.name, event.target.value)} spellCheck={false} />
            ) : (
              <input name={field.name} type={field.secret ? 'password' : 'text'} autoComplete="off" value={fields[field.name] ?? ''} onChange={(event) => setField(field.name, event.target.value)} />
            )}
          </label>
        ),
      )}
      {type === 'key_value' && (
        <div className="pairs">
          {pairs.map((pair, index) => (
            <div className="pair" key={index}>
              <label>
                Key {index + 1}
                <input name={`key-${index}`} value={pair.key} onChange={(event) => setPairs(pairs.map((item, at) => (at === index ? { ...item, key: event.target.value } : item)))} />
              </label>
              <label>
                Value {index + 1}
                <input name={`value-${index}`} value={pair.value} onChange={(event) => setPairs(pairs.map((item, at) => (at === index ? { ...item, value: event.target.value } : item)))} />
              </label>
              <button type="button" aria-label={`Remove pair ${index + 1}`} onClick={() => setPairs(pairs.filter((_, at) => at !== index))}>
                ✕
              </button>
            </div>
          ))}
          <button type="button" onClick={() => setPairs([...pairs, { key: '', value: '' }])}>
            Add pair
          </button>
          <label>
            Import from a .env or JSON file
            <input
              type="file"
              accept=".env,.json,.txt,text/plain,application/json"
              onChange={(event) => {
                const file = event.target.files?.[0];
                if (file) {
                  void readFile(file).then((content) => {
                    try {
                      setPairs(parsePairs(content));
                      setProblem(null);
                    } catch {
                      setProblem('The file is neither KEY=value lines nor a JSON object.');
                    }
                  });
                }
              }}
            />
          </label>
        </div>
      )}
      {(type === 'opaque' || type === 'certificate') && (
        <>
          <label htmlFor={`${id}-text`}>{type === 'certificate' ? 'Certificate (PEM)' : 'Text'}</label>
          <textarea id={`${id}-text`} name="text" rows={8} value={text} onChange={(event) => setText(event.target.value)} spellCheck={false} />
          <label>
            {type === 'certificate' ? 'Or drop the certificate file (.pem, .crt)' : 'Or load a file'}
            <input type="file" onChange={(event) => { const file = event.target.files?.[0]; if (file) { void readFile(file).then(setText); } }} />
          </label>
          {type === 'certificate' && (
            <label>
              Private key (optional .key file)
              <input type="file" accept=".key,.pem" onChange={(event) => { const file = event.target.files?.[0]; if (file) { void readFile(file).then(setKeyText); } }} />
            </label>
          )}
        </>
      )}
      {problem && <p className="error" role="alert">{problem}</p>}
      <SizeMeter bytes={utf8(payload).length} />
    </fieldset>
  );
};
