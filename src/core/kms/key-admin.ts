import { AppError, invalidField, preconditionFailed } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { Page, PageRequest } from '../../shared/paging.js';
import type { Actor } from '../iam/index.js';
import { validateKeyDescription, validateKeyName, validateKeyTags, validateRotationPolicy, type RotationPolicyInput } from './key-rules.js';
import { describeKey } from './keyring.js';
import type { KmsContext } from './kms-context.js';
import type { CustomerKey, KeyOrder, KeyOrigin } from './kms-model.js';

export interface CreateKeyInput {
  projectId: string | null;
  name: string | null;
  description: string | null;
  tags: string[] | null;
  /** The symmetric algorithm asked for; null: the default, AES-256-GCM. */
  algorithm: string | null;
  rotationPolicy: RotationPolicyInput | null;
  unprotected: boolean;
  origin: KeyOrigin | null;
}

export interface UpdateKeyInput {
  name?: string | undefined;
  description?: string | undefined;
  tags?: string[] | undefined;
  rotationPolicy?: RotationPolicyInput | undefined;
}

export interface ListKeysInput {
  projectId: string | null;
  name: string | null;
  tags: string[];
  scheduledForDeletion: boolean;
  order: KeyOrder;
}

/** Key lifecycle: create, read, list, update, protect, enable, disable, delete and restore. */
export const createKeyAdmin = (ctx: KmsContext) => {
  const { store, iam, clock } = ctx;

  /** Loads, authorizes and changes one key under its row lock; `change` sees the locked row. */
  const change = async (actor: Actor, region: string, id: string, action: 'keys:key:update' | 'keys:key:delete', apply: (key: CustomerKey, now: number) => CustomerKey) => {
    await ctx.loadKey(actor, region, id, action);
    const now = clock.nowMicros();
    return store.updateKey(id, (key) => ({ key: apply(key, now) }));
  };

  const assertNotScheduled = (key: CustomerKey): void => {
    if (key.state === 'scheduled_for_deletion') {
      throw preconditionFailed('key_scheduled_for_deletion', `${describeKey(key)} is scheduled for deletion: restore it first`);
    }
  };

  return {
    async create(actor: Actor, region: string, input: CreateKeyInput): Promise<CustomerKey> {
      ctx.assertRegion(region);
      const project = await iam.resolveProject(actor, input.projectId);
      iam.authorize(actor, 'keys:key:create', { organizationId: project.organizationId, projectId: project.id, region });
      if (input.algorithm !== null && input.algorithm !== 'aes_256_gcm') {
        throw invalidField('usage', 'constraint', 'only symmetric_encryption keys with the aes_256_gcm algorithm are supported');
      }
      const now = clock.nowMicros();
      const id = newId();
      const origin = input.origin ?? 'scaleway_kms';
      const key: CustomerKey = {
        id,
        organizationId: project.organizationId,
        projectId: project.id,
        region,
        name: validateKeyName(input.name, id),
        description: validateKeyDescription(input.description),
        tags: validateKeyTags(input.tags),
        usage: 'symmetric_encryption',
        algorithm: 'aes_256_gcm',
        state: origin === 'external' ? 'pending_key_material' : 'enabled',
        stateBeforeDeletion: null,
        protected: !input.unprotected,
        origin,
        currentVersion: origin === 'external' ? 0 : 1,
        rotationPolicy: input.rotationPolicy ? validateRotationPolicy(input.rotationPolicy, now) : null,
        rotatedAt: null,
        createdAt: now,
        updatedAt: now,
        deletionRequestedAt: null,
      };
      await store.insertKey(key, origin === 'external' ? null : ctx.keyring.newVersion(key, 1, now));
      return key;
    },

    get: (actor: Actor, region: string, id: string): Promise<CustomerKey> => ctx.loadKey(actor, region, id, 'keys:key:read'),

    async list(actor: Actor, region: string, input: ListKeysInput, page: PageRequest): Promise<Page<CustomerKey>> {
      ctx.assertRegion(region);
      // Without a project, a caller whose rights stop at some projects lists just those.
      const projectIds = input.projectId === null ? iam.projectsAllowing(actor, 'keys:key:read') : null;
      if (input.projectId !== null) {
        const project = await iam.resolveProject(actor, input.projectId);
        iam.authorize(actor, 'keys:key:read', { organizationId: project.organizationId, projectId: project.id, region });
      } else if (projectIds === null) {
        iam.authorize(actor, 'keys:key:read', { organizationId: actor.organizationId });
      }
      return store.listKeys({ region, organizationId: actor.organizationId, projectIds, ...input }, input.order, page);
    },

    update(actor: Actor, region: string, id: string, input: UpdateKeyInput): Promise<CustomerKey> {
      return change(actor, region, id, 'keys:key:update', (key, now) => {
        assertNotScheduled(key);
        return {
          ...key,
          name: input.name === undefined ? key.name : validateKeyName(input.name, key.id),
          description: input.description === undefined ? key.description : validateKeyDescription(input.description),
          tags: input.tags === undefined ? key.tags : validateKeyTags(input.tags),
          rotationPolicy: input.rotationPolicy === undefined ? key.rotationPolicy : validateRotationPolicy(input.rotationPolicy, now),
          updatedAt: now,
        };
      });
    },

    setProtected: (actor: Actor, region: string, id: string, value: boolean) =>
      change(actor, region, id, 'keys:key:update', (key, now) => {
        assertNotScheduled(key);
        return key.protected === value ? key : { ...key, protected: value, updatedAt: now };
      }),

    setEnabled: (actor: Actor, region: string, id: string, enabled: boolean) =>
      change(actor, region, id, 'keys:key:update', (key, now) => {
        const target = enabled ? 'enabled' : 'disabled';
        if (key.state === target) {
          return key;
        }
        if (key.state !== 'enabled' && key.state !== 'disabled') {
          throw preconditionFailed(`key_${key.state}`, `${describeKey(key)} is ${key.state.replaceAll('_', ' ')} and cannot be ${target}`);
        }
        return { ...key, state: target, updatedAt: now };
      }),

    /**
     * Schedules a key for deletion; the purge ends it when the retention window has
     * passed. A protected key is refused, and so is a key that protects secrets unless
     * `force` is given: its secrets become unreadable, and after the purge, gone.
     */
    async delete(actor: Actor, region: string, id: string, force: boolean): Promise<CustomerKey> {
      await ctx.loadKey(actor, region, id, 'keys:key:delete');
      const dependents = await store.countSecretsUsingKey(id);
      const now = clock.nowMicros();
      return store.updateKey(id, (key) => {
        if (key.state === 'scheduled_for_deletion') {
          return { key };
        }
        if (key.protected) {
          throw preconditionFailed('key_protected', `${describeKey(key)} is protected: unprotect it before deleting it`);
        }
        if (dependents > 0 && !force) {
          throw new AppError(
            'failed_precondition',
            `${describeKey(key)} protects ${dependents} secret${dependents === 1 ? '' : 's'}: deleting it makes their data unreadable, then gone; delete with force=true to do it anyway`,
            { precondition: 'key_in_use', resourceId: String(dependents) },
          );
        }
        return { key: { ...key, state: 'scheduled_for_deletion', stateBeforeDeletion: key.state, deletionRequestedAt: now, updatedAt: now } };
      });
    },

    restore: (actor: Actor, region: string, id: string) =>
      change(actor, region, id, 'keys:key:delete', (key, now) => {
        if (key.state !== 'scheduled_for_deletion') {
          throw preconditionFailed('key_not_scheduled_for_deletion', `${describeKey(key)} is not scheduled for deletion`);
        }
        return { ...key, state: key.stateBeforeDeletion ?? 'enabled', stateBeforeDeletion: null, deletionRequestedAt: null, updatedAt: now };
      }),
  };
};

export type KeyAdmin = ReturnType<typeof createKeyAdmin>;
