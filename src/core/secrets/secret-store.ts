import type { Page, PageRequest } from '../../shared/paging.js';
import type {
  RevisionSelector,
  SealedPayload,
  Secret,
  SecretFilter,
  SecretKvMetadata,
  SecretOrder,
  SecretVersion,
  VersionStatus,
} from './secret-model.js';

/** What `appendVersion` asks the builder for, once the revision number is reserved. */
export interface VersionPlan {
  version: SecretVersion;
  sealed: SealedPayload;
  /** Disable the previous latest version in the same transaction, if it is enabled. */
  disablePrevious: boolean;
  /** Remove versions below this revision for good, with their payloads (KV max-versions pruning). */
  pruneBelow?: number;
  /** Replaces the secret's KV metadata in the same transaction. */
  kvMetadata?: SecretKvMetadata;
  /** Sets the secret's expiration in the same transaction (a certificate's `notAfter`). */
  expiresAt?: number;
}

export interface VersionWithPayload {
  secret: Secret;
  version: SecretVersion;
  sealed: SealedPayload | null;
}

/**
 * Persistence of secrets and versions. Storage is untrusted: payloads reach it only
 * sealed. Every method is atomic; the `mutate`/`build` callbacks run inside the
 * adapter's transaction with the rows locked, must be synchronous, and may throw an
 * AppError to abort with nothing written. Concurrency is the database's job: two
 * processes on one database must never lose a write or reuse a revision.
 */
export interface SecretStore {
  /** Throws `already_exists` when an active secret has the same region, project, path and name. */
  insertSecret(secret: Secret): Promise<void>;
  getSecret(region: string, id: string): Promise<Secret | null>;
  /** The active (not scheduled for deletion) secret at that exact path and name. */
  findActiveSecretByPath(region: string, projectId: string, path: string, name: string): Promise<Secret | null>;
  listSecrets(filter: SecretFilter, order: SecretOrder, page: PageRequest): Promise<Page<Secret>>;
  /** Every secret matching the filter, unpaged; browse folds them into folders. */
  listAllSecrets(filter: SecretFilter): Promise<Secret[]>;
  /**
   * Read-modify-write of a secret and (optionally) its versions. `mutate` returns the
   * new secret and the versions it changed. Throws `not_found` if the secret is gone.
   */
  updateSecret(
    region: string,
    id: string,
    mutate: (secret: Secret, versions: () => SecretVersion[]) => { secret: Secret; versions?: SecretVersion[] },
    options?: { loadVersions?: boolean },
  ): Promise<Secret>;
  /** Removes a secret, its versions and their payloads for good. */
  purgeSecret(id: string): Promise<void>;
  /** Reserves the next revision (gapless, unique) and stores the version the builder makes. */
  appendVersion(
    region: string,
    secretId: string,
    build: (secret: Secret, revision: number) => VersionPlan,
  ): Promise<{ secret: Secret; version: SecretVersion }>;
  getVersion(secretId: string, selector: RevisionSelector): Promise<SecretVersion | null>;
  /** The secret, the selected version and its sealed payload in one read (the hot path). */
  readVersionWithPayload(region: string, secretId: string, selector: RevisionSelector): Promise<VersionWithPayload | null>;
  /** The same read for the live secret at a path and name (APIs that address secrets by path). */
  readVersionWithPayloadAt(
    location: { region: string; projectId: string; path: string; name: string },
    selector: RevisionSelector,
  ): Promise<VersionWithPayload | null>;
  /** Read-modify-write of one version; throws `not_found` if it does not exist. */
  updateVersion(
    secretId: string,
    revision: number,
    mutate: (version: SecretVersion, secret: Secret) => SecretVersion,
  ): Promise<SecretVersion>;
  /** Drops a version's payload for good and records it as deleted. */
  erasePayload(secretId: string, revision: number, deletedAt: number): Promise<void>;
  listVersions(secretId: string, statuses: VersionStatus[], page: PageRequest): Promise<Page<SecretVersion>>;
  listTags(region: string, organizationId: string, projectId: string | null, page: PageRequest): Promise<Page<string>>;
  listTypes(region: string, organizationId: string, projectId: string | null, page: PageRequest): Promise<Page<string>>;
  /** Secrets scheduled for deletion whose window ended (`purgeAt`) at or before `now`, soonest first. */
  findSecretsDueForPurge(now: number, limit: number): Promise<string[]>;
  /**
   * Versions scheduled for deletion on their own at or before `cutoff`, still holding a
   * payload; versions that follow their secret into its deletion wait for the secret's purge.
   */
  findVersionsDueForPurge(cutoff: number, limit: number): Promise<{ secretId: string; revision: number }[]>;
  /**
   * Secrets not scheduled for deletion whose expiration is after `after` and at or before
   * `until`, for which no notice `secondsBefore` (0: expired) was recorded for that same
   * expiration. The lower bound keeps each pass's scan to recent expirations.
   */
  findSecretsDueForExpiryNotice(window: { after: number; until: number }, secondsBefore: number, limit: number): Promise<Secret[]>;
  /**
   * Records a notice point as passed; false when it was recorded already (by any process).
   * With `announce`, the notice is a change of that secret (`expiry_notice_recorded`),
   * so its event is written in the same transaction, and only by the call that records it.
   */
  recordExpiryNotice(notice: { secretId: string; expiresAt: number; secondsBefore: number; sentAt: number }, announce?: Secret): Promise<boolean>;
  /** Enabled versions whose ephemeral expiry is at or before `now`. */
  findExpiredVersions(now: number, limit: number): Promise<{ secretId: string; region: string; revision: number }[]>;
}
