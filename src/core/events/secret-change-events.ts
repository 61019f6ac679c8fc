import { formatMicros, type Clock } from '../../shared/clock.js';
import { newId } from '../../shared/ids.js';
import { fullSecretPath } from '../iam/index.js';
import type { Secret, SecretChange, SecretVersion } from '../secrets/index.js';
import type { EventToStore, EventType, SecretEventInput } from './event-types.js';

const SECONDS_PER_DAY = 86_400;

/** Fields whose change makes `secret.updated`; counters and timestamps alone do not. */
const describedBy = (secret: Secret): string =>
  JSON.stringify([secret.name, secret.path, secret.description, secret.tags, secret.protected, secret.ephemeralPolicy, secret.usedBy, secret.kvMetadata, secret.expiresAt, secret.type]);

const secretEventOf = (before: Secret, after: Secret): EventType | null => {
  if (before.deletionRequestedAt === null && after.deletionRequestedAt !== null) {
    return 'secret.scheduled_for_deletion';
  }
  if (before.deletionRequestedAt !== null && after.deletionRequestedAt === null) {
    return 'secret.restored';
  }
  if (before.disabledAt === null && after.disabledAt !== null) {
    return 'secret.disabled';
  }
  if (before.disabledAt !== null && after.disabledAt === null) {
    return 'secret.enabled';
  }
  return describedBy(before) === describedBy(after) ? null : 'secret.updated';
};

const versionEventOf = (before: SecretVersion | undefined, after: SecretVersion): EventType | null => {
  if (before?.status === 'enabled' && after.status === 'disabled') {
    return 'version.disabled';
  }
  if (before?.status === 'disabled' && after.status === 'enabled') {
    return 'version.enabled';
  }
  return null;
};

/** An event about a secret, addressed the way every subscriber filters (project, path). */
export const eventOf = (type: EventType, secret: Secret, extra: Pick<SecretEventInput, 'revision' | 'details'> = {}): SecretEventInput => ({
  type,
  organizationId: secret.organizationId,
  projectId: secret.projectId,
  region: secret.region,
  secretId: secret.id,
  path: fullSecretPath(secret.path, secret.name),
  ...extra,
});

const updateEvents = (change: Extract<SecretChange, { kind: 'secret_updated' }>): SecretEventInput[] => {
  const secretEvent = secretEventOf(change.before, change.after);
  const events = secretEvent ? [eventOf(secretEvent, change.after)] : [];
  // Versions that follow their secret into (or out of) a scheduled deletion are the secret's event.
  if (secretEvent === 'secret.scheduled_for_deletion' || secretEvent === 'secret.restored') {
    return events;
  }
  for (const version of change.versionsChanged) {
    const type = versionEventOf(change.versionsBefore.find((old) => old.revision === version.revision), version);
    if (type) {
      events.push(eventOf(type, change.after, { revision: version.revision }));
    }
  }
  return events;
};

/**
 * The lifecycle events a secret store write makes, derived from its rows before and
 * after, never from what a caller claimed. Pure: every API and job writes through the
 * store port, so deriving here covers them all.
 */
export const eventsOfSecretChange = (change: SecretChange): SecretEventInput[] => {
  switch (change.kind) {
    case 'secret_inserted':
      return [eventOf('secret.created', change.secret)];
    case 'secret_updated':
      return updateEvents(change);
    case 'secret_purged':
      return [eventOf('secret.purged', change.secret)];
    case 'version_appended':
      return [eventOf('version.created', change.secret, { revision: change.version.revision })];
    case 'version_updated': {
      const type = versionEventOf(change.before, change.after);
      return type ? [eventOf(type, change.secret, { revision: change.after.revision })] : [];
    }
    case 'expiry_notice_recorded': {
      const expired = change.secondsBefore === 0;
      const details = { expires_at: formatMicros(change.expiresAt), ...(expired ? {} : { days_before: change.secondsBefore / SECONDS_PER_DAY }) };
      return [eventOf(expired ? 'secret.expired' : 'secret.expiring', change.secret, { details })];
    }
  }
};

/**
 * What the store's change hook appends, inside the change's transaction: the events
 * with their identity and time, given here so that storage stays free of both.
 */
export const createSecretChangeEvents =
  ({ clock, ids = newId }: { clock: Clock; ids?: () => string }) =>
  (change: SecretChange): EventToStore[] =>
    eventsOfSecretChange(change).map((event) => ({ ...event, id: ids(), occurredAt: clock.nowMicros() }));

export type SecretChangeEvents = ReturnType<typeof createSecretChangeEvents>;
