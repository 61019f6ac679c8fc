import { AppError, preconditionFailed } from '../../shared/errors.js';
import type { Action, Actor } from '../iam/index.js';
import {
  assertNotScheduledForDeletion,
  certificateExpiry,
  ephemeralPropertiesFor,
  isExpired,
  validateKvPayload,
  type Secret,
  type SecretVersion,
} from '../secrets/index.js';
import type { KvContext, KvServiceDeps } from './kv-context.js';
import { KV_PRECONDITIONS, type KvData, type KvReadResult, type KvScope, type KvSettings, type KvVersionInfo } from './kv-model.js';
import { EMPTY_KV_METADATA, effectiveMaxVersions, versionExpiry } from './kv-rules.js';
import { locateKey } from './kv-keys.js';
import { decodeData, encodeData, versionInfo } from './kv-views.js';
import { mergePatch } from './merge-patch.js';

type CasTarget = Pick<Secret, 'versionCount' | 'kvMetadata'>;

/** Vault's check-and-set: `cas` must equal the current version; without it, only if neither level requires it. */
const checkCas = (secret: CasTarget, cas: number | null, settings: KvSettings): void => {
  if (cas !== null) {
    if (secret.versionCount !== cas) {
      throw preconditionFailed(KV_PRECONDITIONS.casMismatch, 'check-and-set parameter did not match the current version');
    }
    return;
  }
  if (settings.casRequired || secret.kvMetadata?.casRequired === true) {
    throw preconditionFailed(KV_PRECONDITIONS.casRequired, 'check-and-set parameter required for this call');
  }
};

const customMetadataOf = (secret: Pick<Secret, 'kvMetadata'>) => secret.kvMetadata?.customMetadata ?? null;

/** Reading, writing and the version state changes of KV keys. */
export const createKvDataOps = (deps: KvServiceDeps, ctx: KvContext) => {
  const { store, secrets, access, keys, clock } = deps;

  const readable = (accessed: { data: Buffer; version: SecretVersion; secret: Secret }): KvReadResult => ({
    kind: 'ok',
    data: decodeData(accessed.data),
    version: versionInfo(accessed.version, clock.nowMicros()),
    customMetadata: customMetadataOf(accessed.secret),
  });

  /** Disabled, expired or erased: KV clients still get the version's metadata. */
  const unreadable = async (secret: Secret, revision: number): Promise<KvReadResult> => {
    const version = await store.getVersion(secret.id, revision);
    return version
      ? { kind: 'unreadable', version: versionInfo(version, clock.nowMicros()), customMetadata: customMetadataOf(secret) }
      : { kind: 'absent' };
  };

  // Refusals about the key (`key_*`) or the whole secret (disabled, expired) are not about
  // the version: they reach the client as they are, naming the reason.
  const isRefusal = (error: unknown): boolean => {
    if (!(error instanceof AppError) || error.code !== 'failed_precondition') {
      return false;
    }
    const precondition = error.details.precondition ?? '';
    return !precondition.startsWith('key_') && precondition !== 'secret_disabled' && precondition !== 'secret_expired';
  };

  const readRevision = async (actor: Actor, secret: Secret, revision: number): Promise<KvReadResult> => {
    try {
      return readable(await access.access(actor, secret.region, secret.id, revision));
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found') {
        return { kind: 'absent' };
      }
      if (!isRefusal(error)) {
        throw error;
      }
      return unreadable(secret, revision);
    }
  };

  /** Creates the secret behind a key; a concurrent creator winning the race is fine. */
  const createKey = async (actor: Actor, found: Awaited<ReturnType<KvContext['find']>>): Promise<Secret> => {
    const { projectId, region, location } = found;
    try {
      return await secrets.create(actor, region, { projectId, name: location.name, path: location.path, type: 'key_value' });
    } catch (error) {
      const winner = error instanceof AppError && error.code === 'already_exists'
        ? await store.findActiveSecretByPath(region, projectId, location.path, location.name)
        : null;
      if (!winner) {
        throw error;
      }
      return winner;
    }
  };

  const appendVersion = async (secret: Secret, data: Uint8Array, cas: number | null, settings: KvSettings) => {
    const sealPayload = await keys.prepareSealer({ projectId: secret.projectId, region: secret.region, keyId: secret.keyId });
    const now = clock.nowMicros();
    const expiresAt = certificateExpiry(secret.type, data, now);
    return store.appendVersion(secret.region, secret.id, (current, revision) => {
      assertNotScheduledForDeletion(current);
      checkCas(current, cas, settings);
      const kv = current.kvMetadata;
      const maxVersions = effectiveMaxVersions(kv, settings);
      const oldest = kv?.oldestVersion ?? 0;
      const prunes = revision - oldest >= maxVersions;
      const version: SecretVersion = {
        secretId: current.id,
        revision,
        status: 'enabled',
        description: '',
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
        deletionRequestedAt: null,
        statusBeforeDeletion: null,
        ephemeral: versionExpiry(kv, settings, now) ?? ephemeralPropertiesFor(current.ephemeralPolicy, now),
        disabledAt: null,
        checksumAlgorithm: null,
      };
      const sealed = sealPayload({ projectId: current.projectId, region: current.region, secretId: current.id, revision }, data);
      // A certificate's expiration follows its newest leaf, whichever API wrote it.
      const expiry = expiresAt === undefined ? {} : { expiresAt };
      if (!prunes) {
        return { version, sealed, disablePrevious: false, ...expiry };
      }
      const oldestKept = revision - maxVersions + 1;
      return { version, sealed, disablePrevious: false, ...expiry, pruneBelow: oldestKept, kvMetadata: { ...(kv ?? EMPTY_KV_METADATA), oldestVersion: oldestKept } };
    });
  };

  /** Applies `change` to the listed versions under the secret's lock; unchanged ones are not written. */
  const changeVersions = async (
    actor: Actor,
    scope: KvScope,
    key: string,
    action: Action,
    revisions: readonly number[] | 'current',
    change: (version: SecretVersion, now: number, secret: Secret, settings: KvSettings) => SecretVersion,
  ): Promise<void> => {
    const found = await ctx.find(actor, scope, key, action);
    if (!found.secret) {
      return;
    }
    const settings = await ctx.settings(found.projectId, found.region);
    const now = clock.nowMicros();
    await store.updateSecret(
      found.region,
      found.secret.id,
      (current, versions) => {
        const wanted = new Set(revisions === 'current' ? [current.versionCount] : revisions);
        const changed = versions()
          .filter((version) => wanted.has(version.revision))
          .map((version) => ({ before: version, after: change(version, now, current, settings) }))
          .filter(({ before, after }) => before !== after)
          .map(({ after }) => after);
        return { secret: current, versions: changed };
      },
      { loadVersions: true },
    );
  };

  const isLive = (version: SecretVersion, now: number): boolean => version.status === 'enabled' && !isExpired(version.ephemeral, now);
  const isDestroyed = (version: SecretVersion): boolean => version.status === 'deleted' || version.status === 'scheduled_for_deletion';

  const softDelete = (version: SecretVersion, now: number): SecretVersion =>
    isLive(version, now) ? { ...version, status: 'disabled', disabledAt: now, updatedAt: now } : version;

  return {
    /** The hot path: one query by location when the version is readable. */
    async read(actor: Actor, scope: KvScope, key: string, version: number | null): Promise<KvReadResult> {
      const location = locateKey(key);
      const projectId = await ctx.resolveProjectId(actor, scope);
      const selector = version !== null && version > 0 ? version : 'latest';
      try {
        const accessed = await access.accessAt(actor, { region: scope.region, projectId, ...location }, selector);
        return accessed ? readable(accessed) : { kind: 'absent' };
      } catch (error) {
        if (!isRefusal(error)) {
          throw error;
        }
        const found = await ctx.find(actor, scope, key, 'secrets:version:access');
        if (!found.secret) {
          return { kind: 'absent' };
        }
        return unreadable(found.secret, selector === 'latest' ? found.secret.versionCount : selector);
      }
    },

    async write(actor: Actor, scope: KvScope, key: string, data: KvData, options: { cas: number | null }) {
      const found = await ctx.find(actor, scope, key, 'secrets:version:create');
      const bytes = encodeData(data);
      const settings = await ctx.settings(found.projectId, found.region);
      let secret = found.secret;
      if (!secret) {
        // Refuse before creating anything, so a failed write leaves no empty key behind.
        checkCas({ versionCount: 0, kvMetadata: null }, options.cas, settings);
        validateKvPayload('key_value', bytes);
        secret = await createKey(actor, found);
      }
      validateKvPayload(secret.type, bytes);
      const appended = await appendVersion(secret, bytes, options.cas, settings);
      return { version: versionInfo(appended.version, clock.nowMicros()), customMetadata: customMetadataOf(appended.secret) };
    },

    async patch(actor: Actor, scope: KvScope, key: string, patch: KvData, options: { cas: number | null }) {
      const found = await ctx.find(actor, scope, key, 'secrets:version:create');
      if (!found.secret) {
        return { kind: 'absent' as const };
      }
      const settings = await ctx.settings(found.projectId, found.region);
      checkCas(found.secret, options.cas, settings);
      const expected = found.secret.versionCount;
      const current = expected === 0 ? ({ kind: 'absent' } as const) : await readRevision(actor, found.secret, expected);
      if (current.kind !== 'ok') {
        return current;
      }
      const bytes = encodeData(mergePatch(current.data, patch) as KvData);
      validateKvPayload(found.secret.type, bytes);
      // The expected version as CAS: a write that slipped in since our read fails cleanly.
      const appended = await appendVersion(found.secret, bytes, expected, settings);
      return { kind: 'ok' as const, version: versionInfo(appended.version, clock.nowMicros()), customMetadata: customMetadataOf(appended.secret) };
    },

    deleteLatest: (actor: Actor, scope: KvScope, key: string) =>
      changeVersions(actor, scope, key, 'secrets:version:update', 'current', softDelete),

    deleteVersions: (actor: Actor, scope: KvScope, key: string, versions: number[]) =>
      changeVersions(actor, scope, key, 'secrets:version:update', versions, softDelete),

    undeleteVersions: (actor: Actor, scope: KvScope, key: string, versions: number[]) =>
      changeVersions(actor, scope, key, 'secrets:version:update', versions, (version, now, secret, settings) =>
        isDestroyed(version)
          ? version
          : {
              ...version,
              status: 'enabled',
              disabledAt: null,
              // Undeleting re-arms the deletion timer, as Vault does, even on a live version.
              ephemeral: versionExpiry(secret.kvMetadata, settings, now) ?? ephemeralPropertiesFor(secret.ephemeralPolicy, now),
              updatedAt: now,
            },
      ),

    destroyVersions: (actor: Actor, scope: KvScope, key: string, versions: number[]) =>
      changeVersions(actor, scope, key, 'secrets:version:delete', versions, (version, now) =>
        isDestroyed(version) ? version : { ...version, status: 'deleted', deletedAt: now, updatedAt: now },
      ),

    async getVersionInfo(actor: Actor, scope: KvScope, key: string, version: number): Promise<KvVersionInfo | null> {
      const found = await ctx.find(actor, scope, key, 'secrets:secret:read');
      const stored = found.secret ? await store.getVersion(found.secret.id, version) : null;
      return stored ? versionInfo(stored, clock.nowMicros()) : null;
    },
  };
};
