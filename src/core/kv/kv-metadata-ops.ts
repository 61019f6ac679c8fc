import { newId } from '../../shared/ids.js';
import { notFound } from '../../shared/errors.js';
import type { Actor } from '../iam/index.js';
import { assertRegion, type Secret } from '../secrets/index.js';
import type { KvContext, KvServiceDeps } from './kv-context.js';
import { locateFolder } from './kv-keys.js';
import type { KvDomain, KvKeyMetadata, KvMetadataChanges, KvScope, KvSettings } from './kv-model.js';
import { applyMetadataChanges, DEFAULT_SETTINGS, isEmptyChange, validateMetadataChanges } from './kv-rules.js';
import { keyMetadata } from './kv-views.js';

/** Key metadata, listings, domain settings and domains. */
export const createKvMetadataOps = (deps: KvServiceDeps, ctx: KvContext) => {
  const { store, kvStore, secrets, clock, regions } = deps;

  const describe = async (secret: Secret): Promise<KvKeyMetadata> => keyMetadata(secret, await ctx.allVersions(secret.id), clock.nowMicros());

  const updateMetadata = async (secret: Secret, changes: KvMetadataChanges): Promise<KvKeyMetadata> => {
    const now = clock.nowMicros();
    const updated = await store.updateSecret(secret.region, secret.id, (current) => ({
      secret: { ...current, kvMetadata: applyMetadataChanges(current.kvMetadata, changes), updatedAt: now },
    }));
    return describe(updated);
  };

  const domainOf = (stored: KvDomain): KvDomain => ({
    id: stored.id,
    organizationId: stored.organizationId,
    projectId: stored.projectId,
    region: stored.region,
    createdAt: stored.createdAt,
  });

  const ensureDomain = async (actor: Actor, projectId: string, region: string) =>
    kvStore.ensureDomain({ id: newId(), organizationId: actor.organizationId, projectId, region, createdAt: clock.nowMicros() }, DEFAULT_SETTINGS);

  return {
    async getMetadata(actor: Actor, scope: KvScope, key: string): Promise<KvKeyMetadata | null> {
      const found = await ctx.find(actor, scope, key, 'secrets:secret:read');
      return found.secret ? describe(found.secret) : null;
    },

    async writeMetadata(actor: Actor, scope: KvScope, key: string, changes: KvMetadataChanges): Promise<KvKeyMetadata | null> {
      validateMetadataChanges(changes);
      const found = await ctx.find(actor, scope, key, 'secrets:secret:update');
      if (found.secret) {
        return isEmptyChange(changes) ? describe(found.secret) : updateMetadata(found.secret, changes);
      }
      if (isEmptyChange(changes)) {
        return null;
      }
      const { projectId, region, location } = found;
      const created = await secrets.create(actor, region, {
        projectId,
        name: location.name,
        path: location.path,
        type: 'key_value',
        kvMetadata: applyMetadataChanges(null, changes),
      });
      return describe(created);
    },

    async patchMetadata(actor: Actor, scope: KvScope, key: string, changes: KvMetadataChanges): Promise<KvKeyMetadata | null> {
      validateMetadataChanges(changes);
      const found = await ctx.find(actor, scope, key, 'secrets:secret:update');
      return found.secret ? updateMetadata(found.secret, changes) : null;
    },

    async deleteMetadata(actor: Actor, scope: KvScope, key: string): Promise<void> {
      const found = await ctx.find(actor, scope, key, 'secrets:secret:delete');
      if (found.secret) {
        // Coffer's own deletion: gone for KV clients at once, restorable until the purge.
        await secrets.delete(actor, found.region, found.secret.id);
      }
    },

    async listChildren(actor: Actor, scope: KvScope, folder: string): Promise<string[]> {
      const prefix = locateFolder(folder);
      assertRegion(regions, scope.region);
      const projectId = await ctx.resolveProjectId(actor, scope);
      const all = await secrets.listAll(actor, scope.region, { projectId, pathPrefix: prefix });
      const base = prefix === '/' ? '/' : `${prefix}/`;
      const children = new Set<string>();
      for (const secret of all) {
        children.add(secret.path === prefix ? secret.name : `${secret.path.slice(base.length).split('/')[0] ?? ''}/`);
      }
      return [...children].sort();
    },

    async listKeys(actor: Actor, scope: KvScope): Promise<KvKeyMetadata[]> {
      assertRegion(regions, scope.region);
      const projectId = await ctx.resolveProjectId(actor, scope);
      const all = await secrets.listAll(actor, scope.region, { projectId });
      const described = await Promise.all(all.map(describe));
      return described.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },

    async getSettings(actor: Actor, scope: KvScope): Promise<KvSettings> {
      assertRegion(regions, scope.region);
      const projectId = await ctx.resolveProjectId(actor, scope);
      ctx.authorizeScope(actor, projectId, scope.region, 'secrets:secret:read');
      return ctx.settings(projectId, scope.region);
    },

    async updateSettings(actor: Actor, scope: KvScope, changes: Partial<KvSettings>): Promise<KvSettings> {
      assertRegion(regions, scope.region);
      const projectId = await ctx.resolveProjectId(actor, scope);
      ctx.authorizeScope(actor, projectId, scope.region, 'secrets:secret:update');
      const stored = await ensureDomain(actor, projectId, scope.region);
      const next: KvSettings = { ...stored.settings, ...changes };
      await kvStore.updateSettings(projectId, scope.region, next);
      return next;
    },

    async activateDomain(actor: Actor, projectId: string | null, region: string): Promise<KvDomain> {
      assertRegion(regions, region);
      const resolved = await ctx.resolveProjectId(actor, { projectId, region });
      ctx.authorizeScope(actor, resolved, region, 'secrets:secret:create');
      return domainOf(await ensureDomain(actor, resolved, region));
    },

    async getDomain(actor: Actor, id: string): Promise<KvDomain> {
      const stored = await kvStore.findDomain(id);
      if (!stored || stored.organizationId !== actor.organizationId) {
        throw notFound('domain', id);
      }
      ctx.authorizeScope(actor, stored.projectId, stored.region, 'secrets:secret:list');
      return domainOf(stored);
    },

    async listDomains(actor: Actor): Promise<KvDomain[]> {
      return kvStore.listDomains(actor.organizationId);
    },
  };
};


