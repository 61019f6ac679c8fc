import type { EventType, SecretEventInput } from './event-types.js';

/** An event as the store keeps it: the publisher's input plus its identity and place in the feed. */
export interface StoredEvent extends SecretEventInput {
  /** A UUID: receivers use it as the idempotency key of a delivery. */
  id: string;
  /** Strictly increasing across the store; the change feed's cursor. */
  sequence: number;
  occurredAt: number;
}

/** What a change-feed read or a subscription selects; every criterion is optional but the organization. */
export interface EventFilter {
  organizationId: string;
  /** Events with a sequence strictly above this one. */
  after: number;
  /** And at or below this one, when set (a delivery pass reads up to the head it saw). */
  upTo?: number | null;
  region?: string | null;
  /** null: every project of the organization. */
  projectIds?: readonly string[] | null;
  /** Compared with the secret's full path (`/prod/db`); `/prod` matches `/prod/db` and `/prod`. */
  pathPrefix?: string | null;
  /** Empty or absent: every type. */
  types?: readonly EventType[];
  limit: number;
}

/** A webhook subscription as stored; `sealedSecret` is its signing secret under a root-derived key. */
export interface Webhook {
  id: string;
  organizationId: string;
  url: string;
  description: string;
  /** Empty: every event type. */
  eventTypes: EventType[];
  projectId: string | null;
  pathPrefix: string | null;
  enabled: boolean;
  sealedSecret: Uint8Array;
  /** The sequence of the last event delivered (or skipped as not matching). */
  cursor: number;
  /** Failed attempts at the event after the cursor; 0 when the last attempt succeeded. */
  attempts: number;
  nextAttemptAt: number;
  firstFailureAt: number | null;
  /** Status code or error class of the last failed attempt; never a body or a URL. */
  lastError: string | null;
  /** Set once retries have gone on too long; delivery still goes on, at the longest backoff. */
  failing: boolean;
  lastDeliveredAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** Where a delivery pass stands for one subscription after an attempt. */
export type DeliveryState = Pick<Webhook, 'cursor' | 'attempts' | 'nextAttemptAt' | 'firstFailureAt' | 'lastError' | 'failing' | 'lastDeliveredAt'>;
