import { useEffect, useState } from 'react';
import { get, query } from '../api';
import { Empty, ErrorMessage, Loading } from '../components/states';
import { formatDate } from '../types';
import type { AuditEvent } from './AuditPage';

/** Who touched this secret, newest first, from the audit trail (needs AuditLogReadOnly). */
export const AccessHistory = ({ secretId }: { secretId: string }) => {
  const [events, setEvents] = useState<AuditEvent[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const from = new Date(Date.now() - 90 * 86_400_000).toISOString();
    get<{ events: AuditEvent[] }>(`/coffer/v1/audit/events${query({ secret_id: secretId, from, to: new Date(Date.now() + 60_000).toISOString(), page_size: 200 })}`).then(
      (result) => setEvents([...result.events].reverse()),
      setError,
    );
  }, [secretId]);
  if (error) {
    return <ErrorMessage error={error} />;
  }
  if (!events) {
    return <Loading what="the access history" />;
  }
  if (events.length === 0) {
    return <Empty>No recorded access in the last 90 days.</Empty>;
  }
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">Access history</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Who</th>
            <th scope="col">Operation</th>
            <th scope="col">Version</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={`${event.chain_id}-${event.seq}`}>
              <td data-label="Time">{formatDate(event.time)}</td>
              <td data-label="Who">{event.actor.access_key ?? '—'}</td>
              <td data-label="Operation">{event.action ?? event.operation}</td>
              <td data-label="Version">{event.resource.revision ?? '—'}</td>
              <td data-label="Outcome">
                <span className={`badge ${event.outcome === 'success' ? 'ok' : 'warn'}`}>{event.outcome}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};
