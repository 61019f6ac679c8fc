import type { Clock } from '../../shared/clock.js';
import { fullSecretPath, type Action, type Actor, type Project } from '../iam/index.js';
import type { KeyService } from '../keys/index.js';
import {
  assertRegion,
  authorizeSecret,
  type AccessService,
  type Secret,
  type SecretService,
  type SecretStore,
  type SecretVersion,
  type SecretsAuthorizer,
} from '../secrets/index.js';
import { locateKey, type SecretLocation } from './kv-keys.js';
import type { KvScope, KvSettings } from './kv-model.js';
import { DEFAULT_SETTINGS } from './kv-rules.js';
import type { KvStore } from './kv-store.js';

export interface KvServiceDeps {
  store: SecretStore;
  kvStore: KvStore;
  secrets: Pick<SecretService, 'create' | 'delete' | 'listAll'>;
  access: Pick<AccessService, 'access' | 'accessAt'>;
  keys: Pick<KeyService, 'prepareSealer'>;
  iam: SecretsAuthorizer & { resolveProject(actor: Actor, projectId: string | null | undefined): Promise<Project> };
  clock: Clock;
  regions: readonly string[];
}

/** A key resolved to its place in the store; `secret` is null when no live secret is there. */
export interface FoundKey {
  projectId: string;
  region: string;
  location: SecretLocation;
  secret: Secret | null;
}

/** Every version a secret keeps; KV keys hold few (10 by default), so one query suffices. */
const ALL_VERSIONS = { page: 1, pageSize: 1_000_000 };

/** The lookups every KV operation starts with. */
export const createKvContext = ({ store, kvStore, iam, regions }: KvServiceDeps) => {
  /** The caller's default project needs no lookup: its key names it, in its own organization. */
  const resolveProjectId = async (actor: Actor, scope: KvScope): Promise<string> =>
    scope.projectId === null || scope.projectId === actor.defaultProjectId
      ? actor.defaultProjectId
      : (await iam.resolveProject(actor, scope.projectId)).id;

  const authorizeScope = (actor: Actor, projectId: string, region: string, action: Action, path?: string): void =>
    iam.authorize(actor, action, { organizationId: actor.organizationId, projectId, region, ...(path === undefined ? {} : { path }) });

  return {
    resolveProjectId,
    authorizeScope,

    /**
     * Finds the live secret behind a key and authorizes `action` on it, or on the
     * project when there is none, so that a caller without rights learns nothing.
     */
    async find(actor: Actor, scope: KvScope, key: string, action: Action): Promise<FoundKey> {
      const location = locateKey(key);
      assertRegion(regions, scope.region);
      const projectId = await resolveProjectId(actor, scope);
      const secret = await store.findActiveSecretByPath(scope.region, projectId, location.path, location.name);
      if (secret) {
        authorizeSecret(iam, actor, secret, secret.id, action);
      } else {
        authorizeScope(actor, projectId, scope.region, action, fullSecretPath(location.path, location.name));
      }
      return { projectId, region: scope.region, location, secret };
    },

    async settings(projectId: string, region: string): Promise<KvSettings> {
      return (await kvStore.findDomainByScope(projectId, region))?.settings ?? DEFAULT_SETTINGS;
    },

    async allVersions(secretId: string): Promise<SecretVersion[]> {
      return (await store.listVersions(secretId, [], ALL_VERSIONS)).items;
    },
  };
};

export type KvContext = ReturnType<typeof createKvContext>;
