import { formatMicros } from '../../shared/clock.js';
import type { StoredEvent } from './event-model.js';

/** The one JSON shape of an event, in the change feed and in webhook bodies alike. */
export const eventToJson = (event: StoredEvent) => ({
  id: event.id,
  cursor: String(event.sequence),
  type: event.type,
  occurred_at: formatMicros(event.occurredAt),
  organization_id: event.organizationId,
  project_id: event.projectId,
  region: event.region,
  secret_id: event.secretId,
  path: event.path,
  revision: event.revision ?? null,
  details: event.details ?? {},
});

export type EventJson = ReturnType<typeof eventToJson>;
