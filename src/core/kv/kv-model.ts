/**
 * The key/value view of secrets that the Vault KV v2 and OVHcloud adapters share.
 * A KV key `a/b/c` is the Coffer secret at path `/a/b` named `c`; its versions are the
 * secret's versions. Times are epoch microseconds.
 */
import type { Actor } from '../iam/index.js';

/** Where a Vault mount or an OVHcloud domain points: a project in a region. `null` project = the caller's default. */
export interface KvScope {
  projectId: string | null;
  region: string;
}

/** Per-(project, region) defaults: Vault's mount `config`, OVHcloud's `secretConfig`. */
export interface KvSettings {
  /** 0 = unset (the effective limit is then 10). */
  maxVersions: number;
  casRequired: boolean;
  /** 0 = unset; -1 = disabled for the whole domain (Vault's `-1s`). */
  deleteVersionAfterSeconds: number;
}

/** An OVHcloud "okms" domain: a (project, region) with an id, created by region activation. */
export interface KvDomain {
  id: string;
  organizationId: string;
  projectId: string;
  region: string;
  createdAt: number;
}

/** Computed at read time: a scheduled deletion that has passed makes a version deactivated. */
export type KvVersionState = 'active' | 'deactivated' | 'destroyed';

export interface KvVersionInfo {
  version: number;
  createdAt: number;
  /** Vault's `deletion_time`: past = soft-deleted, future = scheduled; null = "". */
  deletionTime: number | null;
  destroyed: boolean;
  state: KvVersionState;
}

export interface KvKeyMetadata {
  /** The KV path, `a/b/c`, without leading slash. */
  key: string;
  currentVersion: number;
  oldestVersion: number;
  createdAt: number;
  /** Creation time of the newest version (or of the key when it has none). */
  updatedAt: number;
  /** Key-level values, 0/false when unset (not the effective ones). */
  maxVersions: number;
  casRequired: boolean;
  deleteVersionAfterSeconds: number;
  customMetadata: Record<string, string> | null;
  /** Ascending by version; pruned versions are absent. */
  versions: KvVersionInfo[];
}

/** Secret data as KV clients see it: always a JSON object. */
export type KvData = Record<string, unknown>;

/**
 * Reads carry only the key's custom metadata besides the version: Vault echoes it in
 * every data block, and the full metadata would cost the hot path a versions query.
 */
export type KvReadResult =
  | { kind: 'absent' }
  | { kind: 'unreadable'; version: KvVersionInfo; customMetadata: Record<string, string> | null }
  | { kind: 'ok'; data: KvData; version: KvVersionInfo; customMetadata: Record<string, string> | null };

export type KvPatchResult =
  | { kind: 'absent' }
  | { kind: 'unreadable'; version: KvVersionInfo; customMetadata: Record<string, string> | null }
  | { kind: 'ok'; version: KvVersionInfo; customMetadata: Record<string, string> | null };

/** `null` on a field of a patch resets it to its zero value. */
export interface KvMetadataChanges {
  maxVersions?: number | null;
  casRequired?: boolean | null;
  deleteVersionAfterSeconds?: number | null;
  /** PUT semantics: replaces the whole map (`{}` or null clears it). */
  customMetadata?: Record<string, string> | null;
  /** PATCH semantics: merged key by key, `null` deletes a key. */
  customMetadataPatch?: Record<string, string | null> | null;
}

export interface KvWriteOptions {
  /** Check-and-set: the write succeeds only if the key's current version equals it. */
  cas: number | null;
}

/** Failure reasons (AppError `failed_precondition` details.precondition) adapters map to their own words. */
export const KV_PRECONDITIONS = {
  casMismatch: 'kv_cas_mismatch',
  casRequired: 'kv_cas_required',
} as const;

/**
 * Vault KV v2 semantics over the one secret store. Keys are KV paths (`a/b/c`); a bad
 * one throws `invalid_argument` on field `path`. CAS failures throw `failed_precondition`
 * with a KV_PRECONDITIONS reason; invalid custom metadata throws `invalid_argument` whose
 * problems carry Vault's own messages.
 */
export interface KvService {
  getSettings(actor: Actor, scope: KvScope): Promise<KvSettings>;
  /** Only the given fields change. */
  updateSettings(actor: Actor, scope: KvScope, changes: Partial<KvSettings>): Promise<KvSettings>;

  /** `version` null or <= 0 reads the current version. */
  read(actor: Actor, scope: KvScope, key: string, version: number | null): Promise<KvReadResult>;
  /** Creates the key (as a `key_value` secret) on first write; prunes past the effective max versions. */
  write(
    actor: Actor,
    scope: KvScope,
    key: string,
    data: KvData,
    options: KvWriteOptions,
  ): Promise<{ version: KvVersionInfo; customMetadata: Record<string, string> | null }>;
  /** RFC 7386 merge patch of the current version's data into a new version. */
  patch(actor: Actor, scope: KvScope, key: string, patch: KvData, options: KvWriteOptions): Promise<KvPatchResult>;
  /** Soft-deletes the current version; a no-op when there is nothing live to delete. */
  deleteLatest(actor: Actor, scope: KvScope, key: string): Promise<void>;
  deleteVersions(actor: Actor, scope: KvScope, key: string, versions: number[]): Promise<void>;
  undeleteVersions(actor: Actor, scope: KvScope, key: string, versions: number[]): Promise<void>;
  destroyVersions(actor: Actor, scope: KvScope, key: string, versions: number[]): Promise<void>;

  /** Null when the key does not exist. */
  getMetadata(actor: Actor, scope: KvScope, key: string): Promise<KvKeyMetadata | null>;
  /**
   * Creates the key with no versions when missing. A change naming no field writes
   * nothing (Vault's no-op); it returns null then if the key does not exist.
   */
  writeMetadata(actor: Actor, scope: KvScope, key: string, changes: KvMetadataChanges): Promise<KvKeyMetadata | null>;
  /** Null when the key does not exist (patch never creates). */
  patchMetadata(actor: Actor, scope: KvScope, key: string, changes: KvMetadataChanges): Promise<KvKeyMetadata | null>;
  /** Removes the key and every version; the next write starts at version 1. */
  deleteMetadata(actor: Actor, scope: KvScope, key: string): Promise<void>;
  /** Immediate children of a folder (`""` = root): key names, and folder names ending in `/`, sorted. */
  listChildren(actor: Actor, scope: KvScope, folder: string): Promise<string[]>;
  /** Every key in the scope with its metadata, sorted by key (OVHcloud's listing). */
  listKeys(actor: Actor, scope: KvScope): Promise<KvKeyMetadata[]>;
  /** Version `n`'s state, or null if it does not exist. */
  getVersionInfo(actor: Actor, scope: KvScope, key: string, version: number): Promise<KvVersionInfo | null>;

  /** OVHcloud domains: activating a region for a project creates (or returns) its domain. */
  activateDomain(actor: Actor, projectId: string | null, region: string): Promise<KvDomain>;
  /** `not_found` when unknown or in another organization. */
  getDomain(actor: Actor, id: string): Promise<KvDomain>;
  listDomains(actor: Actor): Promise<KvDomain[]>;
}
