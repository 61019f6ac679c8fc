import type { EventType, Webhook } from '../../core/events/index.js';
import { asBuffer, type SqlValue } from './sql-driver.js';

export interface WebhookRow {
  id: string;
  organization_id: string;
  url: string;
  description: string;
  event_types: string;
  project_id: string | null;
  path_prefix: string | null;
  enabled: number | boolean;
  sealed_secret: Uint8Array;
  cursor_sequence: number | string;
  attempts: number | string;
  next_attempt_at: number | string;
  first_failure_at: number | string | null;
  last_error: string | null;
  failing: number | boolean;
  last_delivered_at: number | string | null;
  created_at: number | string;
  updated_at: number | string;
}

export const WEBHOOK_COLUMNS =
  'id, organization_id, url, description, event_types, project_id, path_prefix, enabled, sealed_secret, cursor_sequence, attempts, next_attempt_at, first_failure_at, last_error, failing, last_delivered_at, created_at, updated_at';

const flag = (value: number | boolean): boolean => value === true || Number(value) === 1;
const optionalNumber = (value: number | string | null): number | null => (value === null ? null : Number(value));

export const fromWebhookRow = (row: WebhookRow): Webhook => ({
  id: row.id,
  organizationId: row.organization_id,
  url: row.url,
  description: row.description,
  eventTypes: JSON.parse(row.event_types) as EventType[],
  projectId: row.project_id,
  pathPrefix: row.path_prefix,
  enabled: flag(row.enabled),
  sealedSecret: row.sealed_secret,
  cursor: Number(row.cursor_sequence),
  attempts: Number(row.attempts),
  nextAttemptAt: Number(row.next_attempt_at),
  firstFailureAt: optionalNumber(row.first_failure_at),
  lastError: row.last_error,
  failing: flag(row.failing),
  lastDeliveredAt: optionalNumber(row.last_delivered_at),
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
});

export const webhookValues = (webhook: Webhook): SqlValue[] => [
  webhook.id,
  webhook.organizationId,
  webhook.url,
  webhook.description,
  JSON.stringify(webhook.eventTypes),
  webhook.projectId,
  webhook.pathPrefix,
  webhook.enabled ? 1 : 0,
  asBuffer(webhook.sealedSecret),
  webhook.cursor,
  webhook.attempts,
  webhook.nextAttemptAt,
  webhook.firstFailureAt,
  webhook.lastError,
  webhook.failing ? 1 : 0,
  webhook.lastDeliveredAt,
  webhook.createdAt,
  webhook.updatedAt,
];
