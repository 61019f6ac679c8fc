import { formatMicros, MICROS_PER_SECOND, type Clock } from '../../shared/clock.js';
import { preconditionFailed, invalidField } from '../../shared/errors.js';
import { isUuid, newId } from '../../shared/ids.js';
import type { Page, PageRequest } from '../../shared/paging.js';
import { fullSecretPath, type Actor, type Project } from '../iam/index.js';
import { validateEphemeralPolicy } from './ephemeral.js';
import {
  assertNotScheduledForDeletion,
  assertRegion,
  loadSecret,
  type SecretsAuthorizer,
} from './secret-guards.js';
import type { EphemeralPolicy, Secret, SecretFilter, SecretKvMetadata, SecretOrder, SecretType } from './secret-model.js';
import { normalizePath, validateDescription, validateExpiration, validateName, validateTags } from './secret-rules.js';
import type { SecretStore } from './secret-store.js';

export interface SecretServiceDeps {
  store: SecretStore;
  iam: SecretsAuthorizer & {
    resolveProject(actor: Actor, projectId: string | null | undefined): Promise<Project>;
    projectsAllowing(actor: Actor, action: 'secrets:secret:list'): string[] | null;
    pathPrefixesAllowing(actor: Actor, action: 'secrets:secret:list', projectId: string | null): string[] | null;
  };
  clock: Clock;
  regions: readonly string[];
  /** How long a deletion can be undone when the request names no window (the wire APIs'); 7 days unless configured. */
  deletionWindowSeconds?: number;
  /** Customer-managed keys (core/kms): checks the key a new secret names. */
  customerKeys?: {
    assertUsableBy(secret: { organizationId: string; projectId: string; region: string }, keyId: string): Promise<void>;
    /** Every API that lists secrets warns when one's key is scheduled for deletion. */
    warnAboutListed(actor: Actor, secrets: readonly Secret[]): Promise<void>;
  };
}

export interface CreateSecretInput {
  projectId?: string | null;
  name: string;
  tags?: string[] | null;
  description?: string | null;
  type?: SecretType | null;
  path?: string | null;
  ephemeralPolicy?: EphemeralPolicy | null;
  protected?: boolean | null;
  keyId?: string | null;
  /** Set by the key/value APIs, which validate it. */
  kvMetadata?: SecretKvMetadata | null;
  /** When the secret stops being readable (epoch µs); checked by the lifecycle service's rules. */
  expiresAt?: number | null;
}

export interface UpdateSecretInput {
  name?: string | undefined;
  tags?: string[] | null | undefined;
  description?: string | null | undefined;
  path?: string | null | undefined;
  ephemeralPolicy?: EphemeralPolicy | null | undefined;
}

export interface ListSecretsInput extends Partial<Omit<SecretFilter, 'region' | 'organizationId'>> {
  order?: SecretOrder;
}

const DEFAULT_DELETION_WINDOW_SECONDS = 7 * 24 * 3600;

/** Secret-level operations: create, read, list, update, protect, own, delete and restore. */
export const createSecretService = ({ store, iam, clock, regions, deletionWindowSeconds = DEFAULT_DELETION_WINDOW_SECONDS, customerKeys }: SecretServiceDeps) => {
  const setProtected = async (actor: Actor, region: string, id: string, value: boolean): Promise<Secret> => {
    assertRegion(regions, region);
    await loadSecret(store, iam, actor, region, id, 'secrets:secret:update');
    // Protection is a flag, not an edit: updated_at stays as it was (recorded behaviour).
    return store.updateSecret(region, id, (secret) => ({ secret: { ...secret, protected: value } }));
  };

  return {
    async create(actor: Actor, region: string, input: CreateSecretInput): Promise<Secret> {
      assertRegion(regions, region);
      const project = await iam.resolveProject(actor, input.projectId);
      const name = validateName(input.name);
      const path = normalizePath(input.path);
      iam.authorize(actor, 'secrets:secret:create', { organizationId: project.organizationId, projectId: project.id, region, path: fullSecretPath(path, name) });
      if (input.keyId && !isUuid(input.keyId)) {
        throw invalidField('key_id', 'format', 'key_id must be a UUID');
      }
      if (input.keyId) {
        if (!customerKeys) {
          throw invalidField('key_id', 'constraint', 'this server has no key manager to hold key_id');
        }
        // The secret's own create right suffices: using a key through a secret needs no key right.
        await customerKeys.assertUsableBy({ organizationId: project.organizationId, projectId: project.id, region }, input.keyId.toLowerCase());
      }
      const now = clock.nowMicros();
      const secret: Secret = {
        id: newId(),
        region,
        organizationId: project.organizationId,
        projectId: project.id,
        name,
        path,
        type: input.type ?? 'opaque',
        description: validateDescription(input.description),
        tags: validateTags(input.tags),
        protected: input.protected ?? false,
        ephemeralPolicy: input.ephemeralPolicy ? validateEphemeralPolicy(input.ephemeralPolicy) : null,
        usedBy: [],
        keyId: input.keyId ? input.keyId.toLowerCase() : null,
        versionCount: 0,
        createdAt: now,
        updatedAt: now,
        deletionRequestedAt: null,
        kvMetadata: input.kvMetadata ?? null,
        disabledAt: null,
        expiresAt: validateExpiration(input.expiresAt ?? null, now),
        purgeAt: null,
      };
      await store.insertSecret(secret);
      return secret;
    },

    async get(actor: Actor, region: string, id: string): Promise<Secret> {
      assertRegion(regions, region);
      return loadSecret(store, iam, actor, region, id, 'secrets:secret:read');
    },

    async list(actor: Actor, region: string, input: ListSecretsInput, page: PageRequest): Promise<Page<Secret>> {
      assertRegion(regions, region);
      const filter = await buildFilter(actor, region, input);
      const listed = await store.listSecrets(filter, input.order ?? 'name_asc', page);
      await customerKeys?.warnAboutListed(actor, listed.items);
      return listed;
    },

    /** Every matching secret, unpaged; browse folds them into folders. */
    async listAll(actor: Actor, region: string, input: ListSecretsInput): Promise<Secret[]> {
      assertRegion(regions, region);
      const listed = await store.listAllSecrets(await buildFilter(actor, region, input));
      await customerKeys?.warnAboutListed(actor, listed);
      return listed;
    },

    async update(actor: Actor, region: string, id: string, input: UpdateSecretInput): Promise<Secret> {
      assertRegion(regions, region);
      await loadSecret(store, iam, actor, region, id, 'secrets:secret:update');
      const changes: Partial<Secret> = {};
      if (input.name !== undefined) {
        changes.name = validateName(input.name);
      }
      if (input.tags !== undefined) {
        changes.tags = validateTags(input.tags);
      }
      if (input.description !== undefined) {
        changes.description = validateDescription(input.description);
      }
      if (input.path !== undefined) {
        changes.path = normalizePath(input.path);
      }
      // Scaleway's docs say a policy cannot be removed once set, so null changes nothing.
      if (input.ephemeralPolicy) {
        changes.ephemeralPolicy = validateEphemeralPolicy(input.ephemeralPolicy);
      }
      const now = clock.nowMicros();
      return store.updateSecret(region, id, (secret) => {
        assertNotScheduledForDeletion(secret);
        return { secret: { ...secret, ...changes, updatedAt: now } };
      });
    },

    protect: (actor: Actor, region: string, id: string) => setProtected(actor, region, id, true),
    unprotect: (actor: Actor, region: string, id: string) => setProtected(actor, region, id, false),

    async addOwner(actor: Actor, region: string, id: string, product: string): Promise<void> {
      assertRegion(regions, region);
      await loadSecret(store, iam, actor, region, id, 'secrets:secret:update');
      await store.updateSecret(region, id, (secret) => ({
        secret: secret.usedBy.includes(product) ? secret : { ...secret, usedBy: [...secret.usedBy, product] },
      }));
    },

    /**
     * Soft delete: the secret and its live versions enter a scheduled deletion that
     * `restore` undoes until the window ends (`windowSeconds`, the configured default
     * unless given). Ephemeral secrets go at once, as on Scaleway.
     */
    async delete(actor: Actor, region: string, id: string, windowSeconds = deletionWindowSeconds): Promise<Secret | null> {
      assertRegion(regions, region);
      const secret = await loadSecret(store, iam, actor, region, id, 'secrets:secret:delete');
      if (secret.protected) {
        throw preconditionFailed('protected_resource', 'cannot delete a protected secret');
      }
      if (secret.ephemeralPolicy !== null) {
        await store.purgeSecret(id);
        return null;
      }
      const now = clock.nowMicros();
      return store.updateSecret(region, id, (current, versions) => {
        if (current.protected) {
          throw preconditionFailed('protected_resource', 'cannot delete a protected secret');
        }
        if (current.deletionRequestedAt !== null) {
          return { secret: current };
        }
        const scheduled = versions()
          .filter((version) => version.status === 'enabled' || version.status === 'disabled')
          .map((version) => ({
            ...version,
            status: 'scheduled_for_deletion' as const,
            statusBeforeDeletion: version.status,
            deletionRequestedAt: now,
          }));
        const purgeAt = now + windowSeconds * MICROS_PER_SECOND;
        return { secret: { ...current, deletionRequestedAt: now, purgeAt, updatedAt: now }, versions: scheduled };
      });
    },

    async restore(actor: Actor, region: string, id: string): Promise<Secret> {
      assertRegion(regions, region);
      await loadSecret(store, iam, actor, region, id, 'secrets:secret:delete');
      const now = clock.nowMicros();
      return store.updateSecret(region, id, (current, versions) => {
        if (current.deletionRequestedAt === null) {
          throw preconditionFailed('secret_not_scheduled_for_deletion', 'the secret is not scheduled for deletion');
        }
        // Once the window has ended the purge is due, even if the scheduler has not run it yet.
        if (current.purgeAt !== null && current.purgeAt <= now) {
          throw preconditionFailed(
            'deletion_window_ended',
            `the deletion window of secret ${current.id} ended at ${formatMicros(current.purgeAt)}; it can no longer be restored`,
          );
        }
        const deletedAt = current.deletionRequestedAt;
        // Versions deleted on their own before the secret was stay scheduled for their own purge.
        const restored = versions()
          .filter((version) => version.status === 'scheduled_for_deletion' && version.deletionRequestedAt === deletedAt)
          .map((version) => ({
            ...version,
            status: version.statusBeforeDeletion ?? 'enabled',
            statusBeforeDeletion: null,
            deletionRequestedAt: null,
          }));
        return { secret: { ...current, deletionRequestedAt: null, purgeAt: null, updatedAt: now }, versions: restored };
      });
    },

    async listTags(actor: Actor, region: string, projectId: string | null, page: PageRequest): Promise<Page<string>> {
      assertRegion(regions, region);
      const scope = await projectScope(actor, region, projectId);
      return store.listTags(region, actor.organizationId, scope, page);
    },

    async listTypes(actor: Actor, region: string, projectId: string | null, page: PageRequest): Promise<Page<string>> {
      assertRegion(regions, region);
      const scope = await projectScope(actor, region, projectId);
      return store.listTypes(region, actor.organizationId, scope, page);
    },
  };

  async function projectScope(actor: Actor, region: string, projectId: string | null | undefined): Promise<string | null> {
    if (!projectId) {
      iam.authorize(actor, 'secrets:secret:list', { organizationId: actor.organizationId, region });
      return null;
    }
    const project = await iam.resolveProject(actor, projectId);
    iam.authorize(actor, 'secrets:secret:list', { organizationId: project.organizationId, projectId: project.id, region });
    return project.id;
  }

  async function buildFilter(actor: Actor, region: string, input: ListSecretsInput): Promise<SecretFilter> {
    // Without a project, a caller whose rights stop at some projects lists just those.
    const allowed = input.projectId ? null : iam.projectsAllowing(actor, 'secrets:secret:list');
    return {
      region,
      organizationId: actor.organizationId,
      projectId: allowed === null ? await projectScope(actor, region, input.projectId) : null,
      projectIds: allowed,
      pathPrefixes: iam.pathPrefixesAllowing(actor, 'secrets:secret:list', input.projectId ?? null),
      name: input.name ?? null,
      path: input.path ? normalizePath(input.path) : null,
      pathPrefix: input.pathPrefix ?? null,
      tags: input.tags ?? [],
      type: input.type ?? null,
      ephemeral: input.ephemeral ?? null,
      scheduledForDeletion: input.scheduledForDeletion ?? false,
    };
  }
};

export type SecretService = ReturnType<typeof createSecretService>;
