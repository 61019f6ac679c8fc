import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../shared/clock.js';
import { NO_CACHE_METER, type CacheMeter } from '../../shared/metrics.js';
import { AppError } from '../../shared/errors.js';
import { createLocalInvalidation, type CacheInvalidation } from '../cache/index.js';
import { isAccessKey, isUuid, newId } from '../../shared/ids.js';
import { createAuthThrottle, createKeyRateLimit, type ThrottleSettings } from './auth-throttle.js';
import { checkAuthorization, grantsOf, pathPrefixesAllowing, projectsAllowing } from './authorization.js';
import type { Actor, ApiKeyRecord, Grant, Project } from './iam-model.js';
import type { IamStore } from './iam-store.js';
import { groupsContaining } from './principals.js';

export interface IamServiceDeps {
  store: IamStore;
  clock: Clock;
  throttle?: ThrottleSettings;
  /** Requests a second each API key may make; 0 or absent: no limit. */
  keyRequestsPerSecond?: number;
  /** Clears the auth cache when any process writes IAM; absent: this process alone. */
  invalidation?: CacheInvalidation;
  /** Counts the auth cache's hits and misses (metrics). */
  cacheMeter?: CacheMeter;
}

export interface BootstrapRequest {
  organizationId?: string;
  projectId?: string;
  accessKey?: string;
  secretKey?: string;
}

export interface BootstrapResult {
  created: boolean;
  organizationId?: string;
  projectId?: string;
  /** Present only when Coffer generated the key: the caller prints it once. */
  generatedCredentials?: { accessKey: string; secretKey: string };
}

const ACCESS_KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/**
 * How long an authenticated key and its grants are reused without asking the store. IAM
 * writes clear the cache on every process at once (see core/cache), so this only bounds a
 * change whose writer died before it could announce it, and so before it was acknowledged.
 */
export const AUTH_CACHE_MS = 5_000;

/** API secret keys are random UUIDs, so a fast hash is enough; a slow KDF adds nothing. */
export const hashSecretKey = (secretKey: string): Buffer =>
  createHash('sha256').update(`coffer/api-key/v1\u0000${secretKey.toLowerCase()}`).digest();

export const generateAccessKey = (): string => {
  const bytes = new Uint8Array(17);
  crypto.getRandomValues(bytes);
  return `SCW${Array.from(bytes, (byte) => ACCESS_KEY_ALPHABET[byte % ACCESS_KEY_ALPHABET.length]).join('')}`;
};

const denied = (reason: 'invalid_argument' | 'not_found' | 'expired', message: string): AppError =>
  new AppError('unauthenticated', message, { authReason: reason });

/** Authentication of API keys and the one `authorize(actor, action, resource)` seam. */
export const createIamService = ({ store, clock, throttle: throttleSettings, keyRequestsPerSecond = 0, invalidation = createLocalInvalidation(), cacheMeter = NO_CACHE_METER }: IamServiceDeps) => {
  const throttle = createAuthThrottle(clock, throttleSettings);
  const keyRateLimit = createKeyRateLimit(clock, keyRequestsPerSecond);
  const cache = new Map<string, { record: ApiKeyRecord; grants: Grant[] | null; until: number }>();
  // A lookup that began before an invalidation must not cache what it read.
  let generation = 0;
  invalidation.subscribe('iam', () => {
    generation += 1;
    cache.clear();
  });

  /** The owner's own policies and those of every group that holds it, however deep. */
  const grantsOfOwner = async (organizationId: string, ownerId: string | null): Promise<Grant[]> => {
    if (ownerId === null) {
      return [];
    }
    const groups = groupsContaining(await store.listGroups(organizationId), ownerId);
    return grantsOf(await store.policiesOf([ownerId, ...groups.map((group) => group.id)]));
  };

  const lookup = async (hash: Buffer): Promise<{ record: ApiKeyRecord; grants: Grant[] | null } | null> => {
    const cacheKey = hash.toString('base64');
    const hit = cache.get(cacheKey);
    if (hit && hit.until > Date.now()) {
      cacheMeter.hit();
      return hit;
    }
    cacheMeter.miss();
    const readAt = generation;
    const record = await store.findApiKeyBySecretHash(hash);
    if (!record) {
      cache.delete(cacheKey);
      return null;
    }
    const grants = record.role === 'admin' ? null : await grantsOfOwner(record.organizationId, record.applicationId ?? record.userId);
    const entry = { record, grants, until: Date.now() + invalidation.entryLifetimeMs(AUTH_CACHE_MS) };
    if (readAt === generation) {
      cache.set(cacheKey, entry);
    }
    return entry;
  };

  const identify = async (secretKey: string | undefined, sourceAddress: string | null): Promise<Actor> => {
    if (!secretKey) {
      throw denied('invalid_argument', 'no API secret key was given');
    }
    if (!isUuid(secretKey)) {
      throw denied('invalid_argument', 'the API secret key is not a UUID');
    }
    const hash = hashSecretKey(secretKey);
    const found = await lookup(hash);
    const record = found?.record;
    // The lookup is by hash; the comparison is still constant-time so that the
    // index lookup is the only thing an attacker can time.
    if (!record || !timingSafeEqual(Buffer.from(record.secretKeyHash), hash)) {
      throw denied('not_found', 'the API key does not exist');
    }
    if (record.expiresAt !== null && record.expiresAt <= clock.nowMicros()) {
      throw denied('expired', 'the API key has expired');
    }
    return {
      kind: 'api_key',
      accessKey: record.accessKey,
      organizationId: record.organizationId,
      defaultProjectId: record.defaultProjectId,
      role: record.role,
      applicationId: record.applicationId,
      userId: record.userId,
      grants: found === null ? [] : found.grants,
      sourceAddress,
      note: { action: null, resource: null, revision: null },
    };
  };

  return {
    /** Creates the organization, default project and admin key on the first start of a store. */
    async bootstrap(request: BootstrapRequest): Promise<BootstrapResult> {
      const now = clock.nowMicros();
      const organizationId = request.organizationId ?? newId();
      const projectId = request.projectId ?? newId();
      const generated = !request.accessKey || !request.secretKey;
      const accessKey = request.accessKey ?? generateAccessKey();
      const secretKey = request.secretKey ?? randomUUID();
      if (!isAccessKey(accessKey) || !isUuid(secretKey)) {
        throw new AppError('invalid_argument', 'root access key must be SCW + 17 upper-case letters or digits, and the secret key a UUID');
      }
      const project: Project = {
        id: projectId,
        organizationId,
        name: 'default',
        description: 'Created when the store was first opened',
        createdAt: now,
        updatedAt: now,
      };
      const created = await store.bootstrap(
        { id: organizationId, name: 'default', createdAt: now },
        project,
        {
          accessKey,
          secretKeyHash: hashSecretKey(secretKey),
          organizationId,
          defaultProjectId: projectId,
          description: 'bootstrap administrator',
          role: 'admin',
          applicationId: null,
          userId: null,
          createdAt: now,
          expiresAt: null,
        },
      );
      if (!created) {
        return { created };
      }
      return { created, organizationId, projectId, ...(generated ? { generatedCredentials: { accessKey, secretKey } } : {}) };
    },

    /**
     * Turns a secret key from a request header into an Actor, or throws `unauthenticated`.
     * `source` (the client address) is refused with `rate_limited` after too many failures.
     */
    async authenticate(secretKey: string | undefined, source = 'unknown'): Promise<Actor> {
      throttle.check(source);
      let actor: Actor;
      try {
        actor = await identify(secretKey, source === 'unknown' ? null : source);
      } catch (error) {
        if (error instanceof AppError && error.code === 'unauthenticated') {
          throttle.recordFailure(source);
        }
        throw error;
      }
      keyRateLimit.take(actor.accessKey);
      return actor;
    },

    /** The single authorization seam every request goes through (see authorization.ts). */
    authorize: checkAuthorization,

    /** Projects where the caller may do `action`; null for the whole organization. */
    projectsAllowing,

    /** Secret path prefixes `action` is limited to; null when it is not. */
    pathPrefixesAllowing,

    listProjects: (actor: Actor): Promise<Project[]> => store.listProjects(actor.organizationId),

    /** Resolves a project id given by a caller (empty means the key's default project). */
    async resolveProject(actor: Actor, projectId: string | null | undefined): Promise<Project> {
      const id = projectId ? projectId : actor.defaultProjectId;
      const project = await store.getProject(id);
      if (!project || project.organizationId !== actor.organizationId) {
        throw new AppError('permission_denied', 'insufficient permissions', { action: 'read', resource: 'project' });
      }
      return project;
    },
  };
};

export type IamService = ReturnType<typeof createIamService>;
