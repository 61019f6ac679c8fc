import { createBackupWriter } from '../../shared/backup/backup-stream.js';
import { formatMicros, type Clock } from '../../shared/clock.js';
import type { Actor, IamService } from '../iam/index.js';
import type { SnapshotSource, StoreSnapshot } from './backup-port.js';

export interface BackupServiceDeps {
  source: SnapshotSource;
  iam: Pick<IamService, 'authorize'>;
  clock: Clock;
}

async function* linesOf(snapshot: StoreSnapshot, createdAt: string): AsyncGenerator<string> {
  try {
    const writer = createBackupWriter();
    yield writer.header({ schema_version: snapshot.schemaVersion, engine: snapshot.engine, created_at: createdAt, tables: [...snapshot.tables] });
    for (const table of snapshot.tables) {
      for await (const batch of snapshot.rows(table.name)) {
        yield writer.rows(table.name, batch);
      }
    }
    yield writer.trailer();
  } finally {
    // Also when the client goes away mid-stream: the snapshot's transactions end here.
    await snapshot.close();
  }
}

/** The whole store as a backup stream, for admin keys only. */
export const createBackupService = ({ source, iam, clock }: BackupServiceDeps) => ({
  /** Authorizes and opens the snapshot before the first line, so refusals come before any data. */
  async open(actor: Actor): Promise<AsyncIterable<string>> {
    iam.authorize(actor, 'store:backup:read', { organizationId: actor.organizationId });
    const snapshot = await source.open();
    return linesOf(snapshot, formatMicros(clock.nowMicros()));
  },
});

export type BackupService = ReturnType<typeof createBackupService>;
