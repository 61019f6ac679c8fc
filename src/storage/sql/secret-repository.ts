import type {
  RevisionSelector,
  Secret,
  SecretFilter,
  SecretOrder,
  SecretStore,
  SecretVersion,
  VersionPlan,
  VersionStatus,
  VersionWithPayload,
} from '../../core/secrets/index.js';
import { AppError, alreadyExists } from '../../shared/errors.js';
import type { Page, PageRequest } from '../../shared/paging.js';
import { lockSecret, lockVersions, writeVersion } from './secret-locks.js';
import { listAllSecrets, listDistinct, listSecrets, listVersions } from './secret-listing.js';
import { livePathMatch } from './secret-queries.js';
import { secretColumns, SECRET_ASSIGNMENTS, SECRET_PLACEHOLDERS, secretFromRow, secretValues, type SecretRow } from './secret-rows.js';
import * as versions from './secret-versions.js';
import { findSecretsDueForExpiryNotice, recordExpiryNotice } from './expiry-notices.js';
import { UniqueViolation, type SqlDriver, type SqlExecutor } from './sql-driver.js';
import type { SecretChangeHook } from './event-append.js';

type Mutation = (secret: Secret, versions: () => SecretVersion[]) => { secret: Secret; versions?: SecretVersion[] };

const nameTaken = (secret: Secret): AppError =>
  alreadyExists('secret', secret.name, `a secret named "${secret.name}" already exists at path "${secret.path}" in this project`);

/** Thrown through a mutation that asked for versions not loaded yet; never escapes. */
class VersionsNeeded extends Error {}
const VERSIONS_NEEDED = new VersionsNeeded('versions needed');

const writeTags = async (tx: SqlExecutor, secret: Secret): Promise<void> => {
  await tx.run('DELETE FROM secret_tags WHERE secret_id = ?', [secret.id]);
  for (const tag of new Set(secret.tags)) {
    await tx.run('INSERT INTO secret_tags (secret_id, tag) VALUES (?, ?)', [secret.id, tag]);
  }
};

const sameTags = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((tag, index) => tag === b[index]);

const LOCK_SECRET_IF_ANY = `SELECT ${secretColumns()} FROM secrets WHERE id = ? FOR UPDATE`;

/** For stores whose writes make no events (tools, a restore). */
const NO_CHANGE_HOOK: SecretChangeHook = async () => {};

/**
 * SecretStore over SQL, identical on SQLite and PostgreSQL. Tags are mirrored in
 * `secret_tags` so that tag filters and tag listings stay plain, portable SQL. Each
 * write calls `onChange` last in its transaction, so what the hook writes (lifecycle
 * events) commits or rolls back with the change.
 */
export class SqlSecretStore implements SecretStore {
  constructor(
    private readonly db: SqlDriver,
    private readonly onChange: SecretChangeHook = NO_CHANGE_HOOK,
  ) {}

  async insertSecret(secret: Secret): Promise<void> {
    try {
      await this.db.transaction(async (tx) => {
        await tx.run(`INSERT INTO secrets (${secretColumns()}) VALUES (${SECRET_PLACEHOLDERS})`, secretValues(secret));
        await writeTags(tx, secret);
        await this.onChange(tx, { kind: 'secret_inserted', secret });
      });
    } catch (error) {
      throw error instanceof UniqueViolation ? nameTaken(secret) : error;
    }
  }

  async getSecret(region: string, id: string): Promise<Secret | null> {
    const row = await this.db.get<SecretRow>(`SELECT ${secretColumns()} FROM secrets WHERE id = ? AND region = ?`, [id, region]);
    return row ? secretFromRow(row) : null;
  }

  async findActiveSecretByPath(region: string, projectId: string, path: string, name: string): Promise<Secret | null> {
    const row = await this.db.get<SecretRow>(
      `SELECT ${secretColumns()} FROM secrets WHERE ${livePathMatch('', this.db.dialect)}`,
      [region, projectId, path, name],
    );
    return row ? secretFromRow(row) : null;
  }

  listSecrets(filter: SecretFilter, order: SecretOrder, page: PageRequest): Promise<Page<Secret>> {
    return listSecrets(this.db, filter, order, page);
  }

  listAllSecrets(filter: SecretFilter): Promise<Secret[]> {
    return listAllSecrets(this.db, filter);
  }

  /**
   * Versions are read only when the mutation asks for them (or `loadVersions` says it
   * will). Since both the mutation and `versions()` are synchronous, a first call that
   * asks is abandoned and the mutation runs again with them: mutations must be pure.
   */
  async updateSecret(region: string, id: string, mutate: Mutation, options: { loadVersions?: boolean } = {}): Promise<Secret> {
    let attempted: Secret | null = null;
    try {
      return await this.db.transaction(async (tx) => {
        const current = await lockSecret(tx, region, id);
        let loaded = options.loadVersions === true ? await lockVersions(tx, id) : null;
        const attempt = () =>
          mutate(current, () => {
            if (loaded === null) {
              throw VERSIONS_NEEDED;
            }
            return loaded;
          });
        let result: ReturnType<Mutation>;
        try {
          result = attempt();
        } catch (error) {
          if (error !== VERSIONS_NEEDED) {
            throw error;
          }
          loaded = await lockVersions(tx, id);
          result = attempt();
        }
        const next = result.secret;
        if (next !== current) {
          if (next.id !== id || next.region !== current.region) {
            throw new AppError('internal', 'a secret cannot change its id or region');
          }
          attempted = next;
          await tx.run(`UPDATE secrets SET ${SECRET_ASSIGNMENTS} WHERE id = ?`, [...secretValues(next).slice(1), id]);
          if (!sameTags(next.tags, current.tags)) {
            await writeTags(tx, next);
          }
        }
        for (const version of result.versions ?? []) {
          await writeVersion(tx, id, version);
        }
        await this.onChange(tx, { kind: 'secret_updated', before: current, after: next, versionsBefore: loaded ?? [], versionsChanged: result.versions ?? [] });
        return next;
      });
    } catch (error) {
      throw error instanceof UniqueViolation && attempted !== null ? nameTaken(attempted) : error;
    }
  }

  async purgeSecret(id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      // Locked first, like every other writer, so a concurrent append cannot deadlock with us.
      const locked = await tx.get<SecretRow>(LOCK_SECRET_IF_ANY, [id]);
      if (!locked) {
        return;
      }
      // The versions' rows hold the wrapped data keys and ciphertexts: both go with them.
      await tx.run('DELETE FROM secret_versions WHERE secret_id = ?', [id]);
      await tx.run('DELETE FROM secret_tags WHERE secret_id = ?', [id]);
      await tx.run('DELETE FROM secret_expiry_notices WHERE secret_id = ?', [id]);
      await tx.run('DELETE FROM secrets WHERE id = ?', [id]);
      await this.onChange(tx, { kind: 'secret_purged', secret: secretFromRow(locked) });
    });
  }

  appendVersion(region: string, secretId: string, build: (secret: Secret, revision: number) => VersionPlan) {
    return versions.appendVersion(this.db, this.onChange, region, secretId, build);
  }

  getVersion(secretId: string, selector: RevisionSelector): Promise<SecretVersion | null> {
    return versions.getVersion(this.db, secretId, selector);
  }

  readVersionWithPayload(region: string, secretId: string, selector: RevisionSelector): Promise<VersionWithPayload | null> {
    return versions.readVersionWithPayload(this.db, region, secretId, selector);
  }

  readVersionWithPayloadAt(
    location: { region: string; projectId: string; path: string; name: string },
    selector: RevisionSelector,
  ): Promise<VersionWithPayload | null> {
    return versions.readVersionWithPayloadAt(this.db, location, selector);
  }

  updateVersion(secretId: string, revision: number, mutate: (version: SecretVersion, secret: Secret) => SecretVersion) {
    return versions.updateVersion(this.db, this.onChange, secretId, revision, mutate);
  }

  erasePayload(secretId: string, revision: number, deletedAt: number): Promise<void> {
    return versions.erasePayload(this.db, secretId, revision, deletedAt);
  }

  listVersions(secretId: string, statuses: VersionStatus[], page: PageRequest): Promise<Page<SecretVersion>> {
    return listVersions(this.db, secretId, statuses, page);
  }

  listTags(region: string, organizationId: string, projectId: string | null, page: PageRequest): Promise<Page<string>> {
    return listDistinct(this.db, 't.tag', { region, organizationId, projectId }, page);
  }

  listTypes(region: string, organizationId: string, projectId: string | null, page: PageRequest): Promise<Page<string>> {
    return listDistinct(this.db, 's.type', { region, organizationId, projectId }, page);
  }

  async findSecretsDueForPurge(now: number, limit: number): Promise<string[]> {
    const rows = await this.db.all<{ id: string }>(
      'SELECT id FROM secrets WHERE purge_at <= ? AND deletion_requested_at IS NOT NULL ORDER BY purge_at, id LIMIT ?',
      [now, limit],
    );
    return rows.map((row) => row.id);
  }

  findVersionsDueForPurge(cutoff: number, limit: number): Promise<{ secretId: string; revision: number }[]> {
    return versions.findVersionsDueForPurge(this.db, cutoff, limit);
  }

  findSecretsDueForExpiryNotice(window: { after: number; until: number }, secondsBefore: number, limit: number): Promise<Secret[]> {
    return findSecretsDueForExpiryNotice(this.db, window, secondsBefore, limit);
  }

  recordExpiryNotice(notice: { secretId: string; expiresAt: number; secondsBefore: number; sentAt: number }, announce?: Secret): Promise<boolean> {
    return recordExpiryNotice(this.db, notice, announce === undefined ? null : { secret: announce, onChange: this.onChange });
  }

  findExpiredVersions(now: number, limit: number): Promise<{ secretId: string; region: string; revision: number }[]> {
    return versions.findExpiredVersions(this.db, now, limit);
  }
}
