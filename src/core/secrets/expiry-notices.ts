import { MICROS_PER_SECOND } from '../../shared/clock.js';
import type { ScheduledJob } from '../scheduler/index.js';
import type { SecretStore } from './secret-store.js';

export const DEFAULT_EXPIRY_NOTICE_DAYS: readonly number[] = [30, 7, 1];

export interface ExpiryNoticeDeps {
  store: Pick<SecretStore, 'findSecretsDueForExpiryNotice' | 'recordExpiryNotice'>;
  /** How long before an expiration `secret.expiring` goes out, once each. */
  noticeDays?: readonly number[];
}

const BATCH = 200;
const SECONDS_PER_DAY = 86_400;
/** A notice more than this late (the scheduler stopped for a month) is no news: it is not sent. */
const LATE_NOTICE_SECONDS = 30 * SECONDS_PER_DAY;

/**
 * Announces `secret.expiring` as each notice point before a secret's expiration passes,
 * and `secret.expired` once when it does. Recording a notice and its event is one store
 * write (the event is derived from the recorded change, in its transaction), so a
 * restart, a crash or a new leader sends nothing twice and loses nothing, and a changed
 * expiration gets its own notices. A secret already past several points gets only the nearest.
 */
export const createExpiryNoticeJob = ({ store, noticeDays = DEFAULT_EXPIRY_NOTICE_DAYS }: ExpiryNoticeDeps): ScheduledJob => {
  // 0 is the expiration itself; ascending, so the nearest point is always handled first.
  const points = [0, ...new Set(noticeDays.map((days) => Math.round(days * SECONDS_PER_DAY)))].filter((seconds, index) => index === 0 || seconds > 0).sort((a, b) => a - b);

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
          // Farther points already passed are recorded unannounced: "30 days left" is no news two days before.
          const announce = nearest === secondsBefore ? secret : undefined;
          if ((await store.recordExpiryNotice({ secretId: secret.id, expiresAt, secondsBefore, sentAt: now }, announce)) && announce) {
            published += 1;
          }
        }
      }
      return published;
    },
  };
};
