/**
 * The lifecycle events every subscriber and the change feed see. Names follow
 * `<resource>.<what happened>` so a subscription can filter on a prefix.
 */
export const EVENT_TYPES = [
  'secret.created',
  'secret.updated',
  'secret.disabled',
  'secret.enabled',
  'secret.scheduled_for_deletion',
  'secret.restored',
  'secret.purged',
  'secret.expiring',
  'secret.expired',
  'secret.rotated',
  'secret.rotation_failed',
  'version.created',
  'version.disabled',
  'version.enabled',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** What a core service hands to the publisher; never a payload or a credential. */
export interface SecretEventInput {
  type: EventType;
  organizationId: string;
  projectId: string;
  region: string;
  secretId: string;
  /** The secret's full path with its name, for path-prefix filters. */
  path: string;
  revision?: number;
  /** Small, non-secret facts: days left for `secret.expiring`, an error type for `secret.rotation_failed`… */
  details?: Record<string, string | number | boolean | null>;
}

/** An event ready for the log: its identity and time are given by the core, its sequence by the store. */
export type EventToStore = SecretEventInput & { id: string; occurredAt: number };

/**
 * Core services publish after their change commits. The implementation stores the event
 * (the change feed and pending deliveries live in the store), so delivery is at least once.
 */
export interface EventPublisher {
  publish(event: SecretEventInput): Promise<void>;
}

/** For wiring where no one listens (unit tests, tools). */
export const discardEvents: EventPublisher = { publish: async () => {} };
