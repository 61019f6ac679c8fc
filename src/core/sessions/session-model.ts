/** A console session: who it acts as, and when it ends. The token itself is never kept. */
export interface SessionRecord {
  /** SHA-256 of the session token (the cookie's value): the only trace of the token in the store. */
  tokenHash: Uint8Array;
  organizationId: string;
  /** The user who signed in with a password; null for a session opened with an API key. */
  userId: string | null;
  /** The API key the session acts as: every request is authorized as that key would be. */
  accessKey: string;
  /** Who signed in, for the console's header: the user's email, or the API key's access key. */
  label: string;
  /** Whether the key was made for this session (password sign-in): it is deleted with the session. */
  mintedKey: boolean;
  /** The key's secret, sealed under a key derived from the session token, which only the browser holds. */
  sealedSecret: Uint8Array;
  createdAt: number;
  lastSeenAt: number;
  /** The absolute end, whatever the activity (epoch µs). */
  expiresAt: number;
}

/** Persistence of console sessions; shared by every process on one PostgreSQL. */
export interface SessionStore {
  insertSession(session: SessionRecord): Promise<void>;
  findSession(tokenHash: Uint8Array): Promise<SessionRecord | null>;
  touchSession(tokenHash: Uint8Array, lastSeenAt: number): Promise<void>;
  /** Removes the session; returns it when it existed (the caller then removes a minted key). */
  deleteSession(tokenHash: Uint8Array): Promise<SessionRecord | null>;
  /** Removes sessions idle since `idleBefore` or past `now`; returns them. */
  deleteExpiredSessions(idleBefore: number, now: number): Promise<SessionRecord[]>;
}

export interface SessionSettings {
  /** A session unused for this long ends. */
  idleSeconds: number;
  /** And none lasts longer than this. */
  maxSeconds: number;
}

/** What a request learns from a valid session cookie. */
export interface ResolvedSession {
  /** The API secret key the request authenticates with, through the one authentication path. */
  secretKey: string;
  session: SessionRecord;
}
