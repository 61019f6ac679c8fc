import { useEffect, useState, type FormEvent } from 'react';
import { get, query } from '../api';
import { ErrorMessage, Loading } from '../components/states';
import { Table } from '../components/Table';
import { formatDate, type Session } from '../types';

export interface AuditEvent {
  time: string;
  request_id: string;
  api: string;
  operation: string;
  action: string | null;
  actor: { access_key: string | null; role: string | null; user_id: string | null };
  source_ip: string;
  resource: { secret_id: string | null; revision: string | null; path: string | null; region: string | null };
  outcome: 'success' | 'denied' | 'failed' | 'error';
  status: number;
  chain_id: string;
  seq: number;
}

interface Verification {
  ok: boolean;
  events: number;
  chains: number;
  checkpoints: number;
  first_break: { chain_id: string; seq: number; message: string } | null;
}

interface Filters {
  actor: string;
  action: string;
  outcome: string;
  secret_id: string;
  hours: string;
}

const ChainStatus = () => {
  const [report, setReport] = useState<Verification | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [running, setRunning] = useState(false);
  const verify = (): void => {
    setRunning(true);
    setError(null);
    get<Verification>('/coffer/v1/audit/verify').then(setReport, setError).finally(() => setRunning(false));
  };
  useEffect(verify, []);
  return (
    <div className="card chain" aria-live="polite">
      <h2>Chain verification</h2>
      {running && <Loading what="the verification" />}
      <ErrorMessage error={error} />
      {report && !running && (
        <p className={report.ok ? 'ok-text' : 'error'} data-testid="chain-status">
          {report.ok
            ? `Intact: ${report.events} events in ${report.chains} chain${report.chains === 1 ? '' : 's'}, ${report.checkpoints} signed checkpoint${report.checkpoints === 1 ? '' : 's'}.`
            : `Broken at chain ${report.first_break?.chain_id ?? '?'} event ${report.first_break?.seq ?? '?'}: ${report.first_break?.message ?? ''}`}
        </p>
      )}
      <button type="button" onClick={verify} disabled={running}>
        Verify again
      </button>
    </div>
  );
};

/** The audit trail: events filtered by who, what, outcome and secret, and the chain's verification. */
export const AuditPage = ({ session }: { session: Session }) => {
  const [filters, setFilters] = useState<Filters>({ actor: '', action: '', outcome: '', secret_id: '', hours: '24' });
  const [events, setEvents] = useState<AuditEvent[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    setEvents(null);
    setError(null);
    const from = new Date(Date.now() - Number(filters.hours) * 3_600_000).toISOString();
    const params = { from, to: new Date(Date.now() + 60_000).toISOString(), actor: filters.actor, action: filters.action, outcome: filters.outcome, secret_id: filters.secret_id, page_size: 200 };
    get<{ events: AuditEvent[] }>(`/coffer/v1/audit/events${query(params)}`).then((result) => setEvents([...result.events].reverse()), setError);
  }, [filters]);

  const apply = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string): string => String(form.get(name) ?? '').trim();
    setFilters({ actor: value('actor'), action: value('action'), outcome: value('outcome'), secret_id: value('secret_id'), hours: value('hours') || '24' });
  };

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit</h1>
      {!session.allowed_actions.includes('audit:event:read') && <p className="notice">Reading the audit trail needs the AuditLogReadOnly permission set.</p>}
      <ChainStatus />
      <form className="filters" role="search" aria-label="Filter audit events" onSubmit={apply}>
        <label>
          Actor (access key)
          <input name="actor" defaultValue={filters.actor} />
        </label>
        <label>
          Action
          <input name="action" defaultValue={filters.action} placeholder="secrets:version:access" />
        </label>
        <label>
          Outcome
          <select name="outcome" defaultValue={filters.outcome}>
            <option value="">Any</option>
            <option>success</option>
            <option>denied</option>
            <option>failed</option>
            <option>error</option>
          </select>
        </label>
        <label>
          Secret ID
          <input name="secret_id" defaultValue={filters.secret_id} />
        </label>
        <label>
          Last hours
          <input name="hours" type="number" min="1" defaultValue={filters.hours} />
        </label>
        <button type="submit">Apply filters</button>
      </form>
      <ErrorMessage error={error} />
      {!events && !error ? <Loading what="events" /> : null}
      {events && (
        <Table caption="Audit events" rows={events} rowKey={(event) => `${event.chain_id}-${event.seq}`} empty="No events match these filters." columns={[
          { label: 'Time', cell: (event) => formatDate(event.time) },
          { label: 'Actor', cell: (event) => event.actor.access_key ?? '(anonymous)' },
          { label: 'Operation', cell: (event) => event.action ?? event.operation },
          { label: 'Resource', cell: (event) => event.resource.path ?? event.resource.secret_id ?? '—' },
          { label: 'Outcome', cell: (event) => <span className={`badge ${event.outcome === 'success' ? 'ok' : 'warn'}`}>{event.outcome} {event.status}</span> },
        ]} />
      )}
    </section>
  );
};
