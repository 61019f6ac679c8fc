import { randomBytes, randomUUID } from 'node:crypto';
import { createSecretChangeEvents } from '../../core/events/index.js';
import type { SealedPayload, Secret, SecretFilter, SecretVersion, VersionPlan } from '../../core/secrets/index.js';
import { AppError } from '../../shared/errors.js';
import type { Storage } from '../index.js';

export interface OpenedStorage {
  storage: Storage;
  cleanup(): Promise<void>;
}

/** Cases receive a getter: the storage exists only once the suite's `before` has run. */
export type StorageRef = () => Storage;

export const REGION = 'fr-par';
export const everything = { page: 1, pageSize: 100 };

export const buildSecret = (overrides: Partial<Secret> = {}): Secret => ({
  id: randomUUID(),
  region: REGION,
  organizationId: randomUUID(),
  projectId: randomUUID(),
  name: `secret-${randomBytes(4).toString('hex')}`,
  path: '/',
  type: 'opaque',
  description: '',
  tags: [],
  protected: false,
  ephemeralPolicy: null,
  usedBy: [],
  keyId: null,
  versionCount: 0,
  createdAt: 1_000_000,
  updatedAt: 1_000_000,
  deletionRequestedAt: null,
  kvMetadata: null,
  disabledAt: null,
  expiresAt: null,
  purgeAt: null,
  ...overrides,
});

/** Storage never sees plaintext: a sealed payload is random bytes to it. */
export const fakeSealed = (kekId = 'kek-1'): SealedPayload => ({
  dekId: randomUUID(),
  kekId,
  wrappedDek: randomBytes(61),
  ciphertext: randomBytes(40),
});

export const buildVersion = (secretId: string, revision: number, overrides: Partial<SecretVersion> = {}): SecretVersion => ({
  secretId,
  revision,
  status: 'enabled',
  description: '',
  createdAt: 2_000_000 + revision,
  updatedAt: 2_000_000 + revision,
  deletedAt: null,
  deletionRequestedAt: null,
  statusBeforeDeletion: null,
  ephemeral: null,
  disabledAt: null,
  checksumAlgorithm: null,
  ...overrides,
});

export const plan = (secretId: string, revision: number, overrides: Partial<SecretVersion> = {}, sealed = fakeSealed()): VersionPlan => ({
  version: buildVersion(secretId, revision, overrides),
  sealed,
  disablePrevious: false,
});

/** Appends one version built by `plan`, with the given overrides. */
export const append = (storage: Storage, secret: Secret, overrides: Partial<SecretVersion> = {}, disablePrevious = false) =>
  storage.secrets.appendVersion(secret.region, secret.id, (_current, revision) => ({ ...plan(secret.id, revision, overrides), disablePrevious }));

export const filterFor = (organizationId: string, overrides: Partial<SecretFilter> = {}): SecretFilter => ({
  region: REGION,
  organizationId,
  projectId: null,
  projectIds: null,
  pathPrefixes: null,
  name: null,
  path: null,
  pathPrefix: null,
  tags: [],
  type: null,
  ephemeral: null,
  scheduledForDeletion: null,
  ...overrides,
});

/** For `assert.rejects`: an AppError with that code. */
export const withCode = (code: AppError['code']) => (error: unknown) => {
  if (!(error instanceof AppError) || error.code !== code) {
    throw error;
  }
  return true;
};

export const revisions = (versions: readonly { revision: number }[]): number[] => versions.map((version) => version.revision);
export const oneToN = (n: number): number[] => Array.from({ length: n }, (_, index) => index + 1);

/**
 * Event ids the next secret changes take, in order, before fresh ones: a case queues an id
 * the log already holds to make a change's event append fail inside its transaction.
 */
export const queuedEventIds: string[] = [];

/** The core's derivation of events from secret changes, as main.ts wires it, on a fixed clock. */
export const conformanceSecretEvents = createSecretChangeEvents({ clock: { nowMicros: () => 7_000_000 }, ids: () => queuedEventIds.shift() ?? randomUUID() });
