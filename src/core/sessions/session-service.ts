import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { deriveKey, open, seal } from '../../crypto/index.js';
import { MICROS_PER_SECOND, type Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { hashSecretKey, type IamAdminService, type IamService, type IamStore, type User } from '../iam/index.js';
import type { ResolvedSession, SessionRecord, SessionSettings, SessionStore } from './session-model.js';
import { createSignInThrottle } from './sign-in-throttle.js';

export interface SessionServiceDeps {
  store: SessionStore;
  /** Where a password sign-in's key is kept, as any other API key. */
  iamStore: Pick<IamStore, 'insertApiKey' | 'deleteApiKey' | 'listProjects'>;
  iam: Pick<IamService, 'authenticate'>;
  iamAdmin: Pick<IamAdminService, 'verifyCredentials'>;
  clock: Clock;
  settings: SessionSettings;
  signInFailuresPerMinute: number;
}

export interface OpenedSession {
  /** Goes to the browser in an httpOnly cookie and nowhere else. */
  token: string;
  csrfToken: string;
  session: SessionRecord;
}

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** Writing `last_seen_at` on every request would cost a write per read; once a minute is enough for idle expiry. */
const TOUCH_EVERY_MICROS = 60 * MICROS_PER_SECOND;
const ACCESS_KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

const tokenHashOf = (token: string): Buffer => createHash('sha256').update(`coffer/session/v1\u0000${token}`).digest();
const sealingKeyOf = (token: string): Buffer => deriveKey(Buffer.from(token, 'base64url'), 'coffer/session-secret/v1');
/** The CSRF token is bound to the session: a token from another session never matches. */
const csrfTokenOf = (token: string): string => createHmac('sha256', Buffer.from(token, 'base64url')).update('coffer/csrf/v1').digest('base64url');

const newAccessKey = (): string => {
  const bytes = randomBytes(17);
  return `SCW${Array.from(bytes, (byte) => ACCESS_KEY_ALPHABET[byte % ACCESS_KEY_ALPHABET.length]).join('')}`;
};

const expired = (): AppError => new AppError('unauthenticated', 'the console session has ended; sign in again', { authReason: 'expired' });

/**
 * Console sessions. A session acts as one API key, so every API authorizes it exactly
 * as it would that key: the key given at sign-in, or for a password sign-in a key of the
 * user made for the session (the user's own rights, never more) and deleted with it.
 * The store keeps a hash of the session token and the key's secret sealed under a key
 * derived from the token: a copy of the database opens no session.
 */
export const createSessionService = ({ store, iamStore, iam, iamAdmin, clock, settings, signInFailuresPerMinute }: SessionServiceDeps) => {
  const throttle = createSignInThrottle(clock, signInFailuresPerMinute);

  const open_ = async (base: Omit<SessionRecord, 'tokenHash' | 'sealedSecret' | 'createdAt' | 'lastSeenAt' | 'expiresAt'>, secretKey: string): Promise<OpenedSession> => {
    const token = randomBytes(32).toString('base64url');
    const tokenHash = tokenHashOf(token);
    const now = clock.nowMicros();
    const session: SessionRecord = {
      ...base,
      tokenHash,
      sealedSecret: seal(sealingKeyOf(token), Buffer.from(secretKey), tokenHash),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + settings.maxSeconds * MICROS_PER_SECOND,
    };
    await store.insertSession(session);
    return { token, csrfToken: csrfTokenOf(token), session };
  };

  const removeMintedKey = async (session: SessionRecord | null): Promise<void> => {
    if (session?.mintedKey) {
      await iamStore.deleteApiKey(session.accessKey);
    }
  };

  const sweep = async (): Promise<void> => {
    const now = clock.nowMicros();
    const ended = await store.deleteExpiredSessions(now - settings.idleSeconds * MICROS_PER_SECOND, now);
    for (const session of ended) {
      await removeMintedKey(session);
    }
  };

  const keyForUser = async (user: User): Promise<{ accessKey: string; secretKey: string; defaultProjectId: string }> => {
    const projects = await iamStore.listProjects(user.organizationId);
    const project = [...projects].sort((a, b) => a.createdAt - b.createdAt)[0];
    if (!project) {
      throw new AppError('failed_precondition', 'the organization has no project', { precondition: 'project' });
    }
    const secretKey = randomUUID();
    const accessKey = newAccessKey();
    const now = clock.nowMicros();
    await iamStore.insertApiKey({
      accessKey,
      secretKeyHash: hashSecretKey(secretKey),
      organizationId: user.organizationId,
      defaultProjectId: project.id,
      description: `console session of ${user.email}`,
      role: 'user',
      applicationId: null,
      userId: user.id,
      createdAt: now,
      expiresAt: now + settings.maxSeconds * MICROS_PER_SECOND,
    });
    return { accessKey, secretKey, defaultProjectId: project.id };
  };

  return {
    async signInWithPassword(email: string, password: string, source: string): Promise<OpenedSession> {
      throttle.check(source);
      const user = await iamAdmin.verifyCredentials(email, password);
      if (!user) {
        throttle.recordFailure(source);
        throw new AppError('unauthenticated', 'wrong email or password', { authReason: 'not_found' });
      }
      await sweep();
      const key = await keyForUser(user);
      return open_({ organizationId: user.organizationId, userId: user.id, accessKey: key.accessKey, label: user.email, mintedKey: true }, key.secretKey);
    },

    /** Checked through the one authentication path (throttle, expiry) before a session is opened. */
    async signInWithApiKey(secretKey: string, source: string): Promise<OpenedSession> {
      const actor = await iam.authenticate(secretKey, source);
      await sweep();
      return open_({ organizationId: actor.organizationId, userId: actor.userId, accessKey: actor.accessKey, label: actor.accessKey, mintedKey: false }, secretKey.toLowerCase());
    },

    /** The API secret key a session cookie stands for; throws `unauthenticated` once the session has ended. */
    async resolve(token: string): Promise<ResolvedSession> {
      if (!TOKEN_PATTERN.test(token)) {
        throw expired();
      }
      const tokenHash = tokenHashOf(token);
      const session = await store.findSession(tokenHash);
      if (!session || !timingSafeEqual(Buffer.from(session.tokenHash), tokenHash)) {
        throw expired();
      }
      const now = clock.nowMicros();
      if (session.expiresAt <= now || session.lastSeenAt + settings.idleSeconds * MICROS_PER_SECOND <= now) {
        await removeMintedKey(await store.deleteSession(tokenHash));
        throw expired();
      }
      if (now - session.lastSeenAt >= TOUCH_EVERY_MICROS) {
        await store.touchSession(tokenHash, now);
      }
      const secretKey = open(sealingKeyOf(token), session.sealedSecret, tokenHash).toString('utf8');
      return { secretKey, session };
    },

    /** Whether `candidate` is the CSRF token of the session `token` opens, compared in constant time. */
    checkCsrf(token: string, candidate: string | undefined): boolean {
      const expected = Buffer.from(csrfTokenOf(token));
      const given = Buffer.from(candidate ?? '');
      return given.length === expected.length && timingSafeEqual(given, expected);
    },

    csrfTokenOf,

    /** Ends the session on the server; a cookie kept by the browser opens nothing afterwards. */
    async signOut(token: string): Promise<void> {
      if (TOKEN_PATTERN.test(token)) {
        await removeMintedKey(await store.deleteSession(tokenHashOf(token)));
      }
    },

    sweep,
  };
};

export type SessionService = ReturnType<typeof createSessionService>;
