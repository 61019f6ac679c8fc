import { fullSecretPath } from '../iam/index.js';
import type { Secret, SecretStore, SecretVersion } from '../secrets/index.js';
import type { EventPublisher, EventType } from './event-types.js';

type Published = Pick<SecretStore, 'insertSecret' | 'updateSecret' | 'purgeSecret' | 'appendVersion' | 'updateVersion'>;

/** Fields whose change makes `secret.updated`; counters and timestamps alone do not. */
const describedBy = (secret: Secret): string =>
  JSON.stringify([secret.name, secret.path, secret.description, secret.tags, secret.protected, secret.ephemeralPolicy, secret.usedBy, secret.kvMetadata, secret.expiresAt, secret.type]);

const secretEventOf = (before: Secret, after: Secret): EventType | null => {
  if (before.deletionRequestedAt === null && after.deletionRequestedAt !== null) {
    return 'secret.scheduled_for_deletion';
  }
  if (before.deletionRequestedAt !== null && after.deletionRequestedAt === null) {
    return 'secret.restored';
  }
  if (before.disabledAt === null && after.disabledAt !== null) {
    return 'secret.disabled';
  }
  if (before.disabledAt !== null && after.disabledAt === null) {
    return 'secret.enabled';
  }
  return describedBy(before) === describedBy(after) ? null : 'secret.updated';
};

const versionEventOf = (before: SecretVersion | undefined, after: SecretVersion): EventType | null => {
  if (before?.status === 'enabled' && after.status === 'disabled') {
    return 'version.disabled';
  }
  if (before?.status === 'disabled' && after.status === 'enabled') {
    return 'version.enabled';
  }
  return null;
};

/**
 * Wraps the secret store port so that every committed change publishes its lifecycle
 * event. All APIs (Scaleway, Vault KV v2, OVHcloud, Coffer's own) and the background
 * jobs change secrets through this port, so publishing here reaches them all, and the
 * event is derived from the rows before and after, never from what a caller claimed.
 * Each event is published after the store's transaction committed and before the
 * method returns, so a request is answered only once its events are stored.
 */
export const publishingSecretStore = (store: SecretStore, events: EventPublisher, regions: readonly string[]): SecretStore => {
  const emit = (type: EventType, secret: Secret, revision?: number) =>
    events.publish({
      type,
      organizationId: secret.organizationId,
      projectId: secret.projectId,
      region: secret.region,
      secretId: secret.id,
      path: fullSecretPath(secret.path, secret.name),
      ...(revision === undefined ? {} : { revision }),
    });

  const overrides: Published = {
    async insertSecret(secret) {
      await store.insertSecret(secret);
      await emit('secret.created', secret);
    },

    async updateSecret(region, id, mutate, options) {
      let before: Secret | undefined;
      let loaded: SecretVersion[] = [];
      let changed: SecretVersion[] = [];
      const after = await store.updateSecret(
        region,
        id,
        (secret, versions) => {
          const result = mutate(secret, () => (loaded = versions()));
          before = secret;
          changed = result.versions ?? [];
          return result;
        },
        options,
      );
      const secretEvent = before ? secretEventOf(before, after) : null;
      if (secretEvent) {
        await emit(secretEvent, after);
      }
      // Versions that follow their secret into (or out of) a scheduled deletion are the secret's event.
      if (secretEvent === 'secret.scheduled_for_deletion' || secretEvent === 'secret.restored') {
        return after;
      }
      for (const version of changed) {
        const type = versionEventOf(loaded.find((old) => old.revision === version.revision), version);
        if (type) {
          await emit(type, after, version.revision);
        }
      }
      return after;
    },

    async purgeSecret(id) {
      let found: Secret | null = null;
      for (const region of regions) {
        found ??= await store.getSecret(region, id);
      }
      await store.purgeSecret(id);
      if (found) {
        await emit('secret.purged', found);
      }
    },

    async appendVersion(region, secretId, build) {
      const appended = await store.appendVersion(region, secretId, build);
      await emit('version.created', appended.secret, appended.version.revision);
      return appended;
    },

    async updateVersion(secretId, revision, mutate) {
      let before: SecretVersion | undefined;
      let secret: Secret | undefined;
      const after = await store.updateVersion(secretId, revision, (version, owner) => {
        before = version;
        secret = owner;
        return mutate(version, owner);
      });
      const type = versionEventOf(before, after);
      if (type && secret) {
        await emit(type, secret, revision);
      }
      return after;
    },
  };

  // Every other method reaches the store unchanged, including ones added after this was written.
  return new Proxy(store, {
    get(target, property) {
      if (typeof property === 'string' && Object.hasOwn(overrides, property)) {
        return overrides[property as keyof Published];
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
};
