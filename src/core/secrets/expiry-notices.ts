import { formatMicros, MICROS_PER_SECOND } from '../../shared/clock.js';
import type { EventPublisher } from '../events/event-types.js';
import { fullSecretPath } from '../iam/index.js';
import type { ScheduledJob } from '../scheduler/index.js';
import type { Secret } from './secret-model.js';
import type { SecretStore } from './secret-store.js';

export const DEFAULT_EXPIRY_NOTICE_DAYS: readonly number[] = [30, 7, 1];

export interface ExpiryNoticeDeps {
  store: Pick<SecretStore, 'findSecretsDueForExpiryNotice' | 'recordExpiryNotice'>;
  events: EventPublisher;
  /** How long before an expiration `secret.expiring` goes out, once each. */
  noticeDays?: readonly number[];
}

const BATCH = 200;
const SECONDS_PER_DAY = 86_400;
/** A notice more than this late (the scheduler stopped for a month) is no news: it is not sent. */
const LATE_NOTICE_SECONDS = 30 * SECONDS_PER_DAY;

/**
 * Publishes `secret.expiring` as each notice point before a secret's expiration passes,
 * and `secret.expired` once when it does. The store remembers what went out for which
 * expiration, so a restart or a new leader sends nothing twice (barring a crash between
 * publishing and recording: delivery is at least once), and a changed expiration gets
 * its own notices. A secret that is already past several points gets only the nearest.
 */
export const createExpiryNoticeJob = ({ store, events, noticeDays = DEFAULT_EXPIRY_NOTICE_DAYS }: ExpiryNoticeDeps): ScheduledJob => {
  // 0 is the expiration itself; ascending, so the nearest point is always handled first.
  const points = [0, ...new Set(noticeDays.map((days) => Math.round(days * SECONDS_PER_DAY)))].filter((seconds, index) => index === 0 || seconds > 0).sort((a, b) => a - b);

  const publish = (secret: Secret, expiresAt: number, secondsBefore: number) =>
    events.publish({
      type: secondsBefore === 0 ? 'secret.expired' : 'secret.expiring',
      organizationId: secret.organizationId,
      projectId: secret.projectId,
      region: secret.region,
      secretId: secret.id,
      path: fullSecretPath(secret.path, secret.name),
      details: { expires_at: formatMicros(expiresAt), ...(secondsBefore === 0 ? {} : { days_before: secondsBefore / SECONDS_PER_DAY }) },
    });

  return {
    name: 'secrets.expiry_notices',
    async runDue(now) {
      let published = 0;
      for (const secondsBefore of points) {
        const until = now + secondsBefore * MICROS_PER_SECOND;
        const window = { after: until - LATE_NOTICE_SECONDS * MICROS_PER_SECOND, until };
        for (const secret of await store.findSecretsDueForExpiryNotice(window, secondsBefore, BATCH)) {
          const expiresAt = secret.expiresAt;
          if (expiresAt === null) {
            continue;
          }
          const nearest = points.find((point) => expiresAt - point * MICROS_PER_SECOND <= now);
          if (nearest === secondsBefore) {
            await publish(secret, expiresAt, secondsBefore);
            published += 1;
          }
          // Farther points already passed are recorded unsent: "30 days left" is no news two days before.
          await store.recordExpiryNotice({ secretId: secret.id, expiresAt, secondsBefore, sentAt: now });
        }
      }
      return published;
    },
  };
};
