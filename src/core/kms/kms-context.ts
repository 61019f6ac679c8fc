import type { Clock } from '../../shared/clock.js';
import { invalidField, notFound } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { Action, Actor, Project, ResourceRef } from '../iam/index.js';
import type { CustomerKey } from './kms-model.js';
import type { KmsStore } from './kms-store.js';
import type { Keyring } from './keyring.js';

/** The part of IAM the key manager relies on: the one authorize seam, and project lookups. */
export interface KmsAuthorizer {
  authorize(actor: Actor, action: Action, resource: ResourceRef): void;
  resolveProject(actor: Actor, projectId: string | null | undefined): Promise<Project>;
  projectsAllowing(actor: Actor, action: Action): string[] | null;
}

export interface KmsDeps {
  store: KmsStore;
  iam: KmsAuthorizer;
  clock: Clock;
  logger: Logger;
  regions: readonly string[];
  /** How long a deleted key can be restored before it is purged; the same window as secrets. */
  retentionSeconds: number;
}

export interface KmsContext extends KmsDeps {
  keyring: Keyring;
  /** Loads a key of this region, answering not found for other organizations' keys, then authorizes. */
  loadKey(actor: Actor, region: string, id: string, action: Action): Promise<CustomerKey>;
  assertRegion(region: string): void;
}

export const createKmsContext = (deps: KmsDeps, keyring: Keyring): KmsContext => {
  const assertRegion = (region: string): void => {
    if (!deps.regions.includes(region)) {
      throw invalidField('region', 'constraint', `unknown region "${region.slice(0, 32)}"; this server serves ${deps.regions.join(', ')}`);
    }
  };
  return {
    ...deps,
    keyring,
    assertRegion,
    async loadKey(actor, region, id, action) {
      assertRegion(region);
      const key = await deps.store.getKey(id);
      // Another organization's key, or one of another region, is reported absent so ids do not leak.
      if (!key || key.organizationId !== actor.organizationId || key.region !== region) {
        throw notFound('key', id);
      }
      deps.iam.authorize(actor, action, { organizationId: key.organizationId, projectId: key.projectId, region: key.region });
      return key;
    },
  };
};
