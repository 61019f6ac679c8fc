import type { RotationMethod, RotationRecord, RotationState, RotationStore } from '../../core/rotation/index.js';
import { asBuffer, type SqlDriver, type SqlValue } from './sql-driver.js';

type Int = number | string | null;

interface RotationRow {
  secret_id: string;
  region: string;
  interval_seconds: number | string;
  method: string;
  disable_previous: number | boolean;
  signing_key_id: string | null;
  sealed_signing_secret: Uint8Array | null;
  created_at: number | string;
  next_rotation_at: number | string;
  rotation_id: string | null;
  attempts: number | string;
  lease_until: Int;
  last_attempt_at: Int;
  last_rotated_at: Int;
  last_revision: Int;
  last_failure_at: Int;
  last_failure_reason: string | null;
  last_failure_message: string | null;
  last_failure_attempts: Int;
  updated_at: number | string;
}

const POLICY_COLUMNS = 'secret_id, region, interval_seconds, method, disable_previous, signing_key_id, sealed_signing_secret, created_at';
const STATE_COLUMNS = [
  'next_rotation_at',
  'rotation_id',
  'attempts',
  'lease_until',
  'last_attempt_at',
  'last_rotated_at',
  'last_revision',
  'last_failure_at',
  'last_failure_reason',
  'last_failure_message',
  'last_failure_attempts',
  'updated_at',
];

// PostgreSQL returns BIGINT as text; SQLite returns integers.
const int = (value: Int): number | null => (value === null ? null : Number(value));

const stateOf = (row: RotationRow): RotationState => {
  const failureAt = int(row.last_failure_at);
  return {
    nextRotationAt: Number(row.next_rotation_at),
    rotationId: row.rotation_id,
    attempts: Number(row.attempts),
    leaseUntil: int(row.lease_until),
    lastAttemptAt: int(row.last_attempt_at),
    lastRotatedAt: int(row.last_rotated_at),
    lastRevision: int(row.last_revision),
    lastFailure:
      failureAt === null
        ? null
        : {
            at: failureAt,
            reason: row.last_failure_reason as NonNullable<RotationState['lastFailure']>['reason'],
            message: row.last_failure_message ?? '',
            attempts: Number(row.last_failure_attempts ?? 0),
          },
    updatedAt: Number(row.updated_at),
  };
};

const fromRow = (row: RotationRow): RotationRecord => ({
  secretId: row.secret_id,
  region: row.region,
  intervalSeconds: Number(row.interval_seconds),
  // Written by putPolicy from a validated method; the store keeps it as it came.
  method: JSON.parse(row.method) as RotationMethod,
  disablePrevious: row.disable_previous === true || Number(row.disable_previous) === 1,
  signingKeyId: row.signing_key_id,
  sealedSigningSecret: row.sealed_signing_secret,
  createdAt: Number(row.created_at),
  state: stateOf(row),
});

const stateValues = (state: RotationState): SqlValue[] => [
  state.nextRotationAt,
  state.rotationId,
  state.attempts,
  state.leaseUntil,
  state.lastAttemptAt,
  state.lastRotatedAt,
  state.lastRevision,
  state.lastFailure?.at ?? null,
  state.lastFailure?.reason ?? null,
  state.lastFailure?.message ?? null,
  state.lastFailure?.attempts ?? null,
  state.updatedAt,
];

/** Rotation policies over SQL, one table on either engine; claims are compare-and-set on next_rotation_at. */
export class SqlRotationStore implements RotationStore {
  constructor(private readonly db: SqlDriver) {}

  async putPolicy(record: RotationRecord): Promise<void> {
    const columns = `${POLICY_COLUMNS}, ${STATE_COLUMNS.join(', ')}`;
    const values: SqlValue[] = [
      record.secretId,
      record.region,
      record.intervalSeconds,
      JSON.stringify(record.method),
      record.disablePrevious ? 1 : 0,
      record.signingKeyId,
      record.sealedSigningSecret === null ? null : asBuffer(record.sealedSigningSecret),
      record.createdAt,
      ...stateValues(record.state),
    ];
    // One statement on both engines: concurrent PUTs of one policy end with the last one, never a conflict.
    const updates = columns
      .split(', ')
      .filter((column) => column !== 'secret_id')
      .map((column) => `${column} = excluded.${column}`)
      .join(', ');
    await this.db.run(`INSERT INTO secret_rotations (${columns}) VALUES (${values.map(() => '?').join(', ')}) ON CONFLICT (secret_id) DO UPDATE SET ${updates}`, values);
  }

  async getPolicy(secretId: string): Promise<RotationRecord | null> {
    const row = await this.db.get<RotationRow>(`SELECT ${POLICY_COLUMNS}, ${STATE_COLUMNS.join(', ')} FROM secret_rotations WHERE secret_id = ?`, [secretId]);
    return row ? fromRow(row) : null;
  }

  async deletePolicy(secretId: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM secret_rotations WHERE secret_id = ?', [secretId])).changes > 0;
  }

  async findDue(now: number, limit: number): Promise<{ secretId: string; nextRotationAt: number }[]> {
    const rows = await this.db.all<{ secret_id: string; next_rotation_at: number | string }>(
      'SELECT secret_id, next_rotation_at FROM secret_rotations WHERE next_rotation_at <= ? ORDER BY next_rotation_at LIMIT ?',
      [now, limit],
    );
    return rows.map((row) => ({ secretId: row.secret_id, nextRotationAt: Number(row.next_rotation_at) }));
  }

  async compareAndSetState(secretId: string, expectedNextRotationAt: number, state: RotationState): Promise<boolean> {
    const assignments = STATE_COLUMNS.map((column) => `${column} = ?`).join(', ');
    const result = await this.db.run(`UPDATE secret_rotations SET ${assignments} WHERE secret_id = ? AND next_rotation_at = ?`, [
      ...stateValues(state),
      secretId,
      expectedNextRotationAt,
    ]);
    return result.changes === 1;
  }
}
