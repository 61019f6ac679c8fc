import type { SessionRecord, SessionStore } from '../../core/sessions/index.js';
import { asBuffer, type SqlDriver, type SqlValue } from './sql-driver.js';

interface SessionRow {
  token_hash: Uint8Array;
  organization_id: string;
  user_id: string | null;
  access_key: string;
  label: string;
  minted_key: number | boolean;
  sealed_secret: Uint8Array;
  created_at: number | string;
  last_seen_at: number | string;
  expires_at: number | string;
}

const COLUMNS = 'token_hash, organization_id, user_id, access_key, label, minted_key, sealed_secret, created_at, last_seen_at, expires_at';

// PostgreSQL returns BIGINT as text and booleans as booleans; SQLite integers for both.
const fromRow = (row: SessionRow): SessionRecord => ({
  tokenHash: row.token_hash,
  organizationId: row.organization_id,
  userId: row.user_id,
  accessKey: row.access_key,
  label: row.label,
  mintedKey: row.minted_key === true || Number(row.minted_key) === 1,
  sealedSecret: row.sealed_secret,
  createdAt: Number(row.created_at),
  lastSeenAt: Number(row.last_seen_at),
  expiresAt: Number(row.expires_at),
});

const values = (session: SessionRecord): SqlValue[] => [
  asBuffer(session.tokenHash),
  session.organizationId,
  session.userId,
  session.accessKey,
  session.label,
  session.mintedKey ? 1 : 0,
  asBuffer(session.sealedSecret),
  session.createdAt,
  session.lastSeenAt,
  session.expiresAt,
];

/** Console sessions over SQL, one table on either engine, keyed by the token's hash. */
export class SqlSessionStore implements SessionStore {
  constructor(private readonly db: SqlDriver) {}

  async insertSession(session: SessionRecord): Promise<void> {
    await this.db.run(`INSERT INTO console_sessions (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, values(session));
  }

  async findSession(tokenHash: Uint8Array): Promise<SessionRecord | null> {
    const row = await this.db.get<SessionRow>(`SELECT ${COLUMNS} FROM console_sessions WHERE token_hash = ?`, [asBuffer(tokenHash)]);
    return row ? fromRow(row) : null;
  }

  async touchSession(tokenHash: Uint8Array, lastSeenAt: number): Promise<void> {
    await this.db.run('UPDATE console_sessions SET last_seen_at = ? WHERE token_hash = ? AND last_seen_at < ?', [lastSeenAt, asBuffer(tokenHash), lastSeenAt]);
  }

  async deleteSession(tokenHash: Uint8Array): Promise<SessionRecord | null> {
    return this.db.transaction(async (tx) => {
      const row = await tx.get<SessionRow>(`SELECT ${COLUMNS} FROM console_sessions WHERE token_hash = ?`, [asBuffer(tokenHash)]);
      if (!row) {
        return null;
      }
      // Two processes may end the same session: only the one whose delete counts reports it.
      const { changes } = await tx.run('DELETE FROM console_sessions WHERE token_hash = ?', [asBuffer(tokenHash)]);
      return changes === 1 ? fromRow(row) : null;
    });
  }

  async deleteExpiredSessions(idleBefore: number, now: number): Promise<SessionRecord[]> {
    const rows = await this.db.all<SessionRow>(
      `SELECT ${COLUMNS} FROM console_sessions WHERE last_seen_at <= ? OR expires_at <= ? LIMIT 500`,
      [idleBefore, now],
    );
    const ended: SessionRecord[] = [];
    for (const row of rows) {
      const session = await this.deleteSession(row.token_hash);
      if (session) {
        ended.push(session);
      }
    }
    return ended;
  }
}
