import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createIamService, type Action, type Actor } from '../../src/core/iam/index.js';
import { AppError } from '../../src/shared/errors.js';
import { createKeyService } from '../../src/core/keys/index.js';
import { createRootKey, fileRootProtector } from '../../src/crypto/index.js';
import { createKvService, type KvScope, type KvService } from '../../src/core/kv/index.js';
import { createAccessService, createSecretService, createVersionService, type AccessService, type SecretService, type VersionService } from '../../src/core/secrets/index.js';
import { MICROS_PER_SECOND, type Clock } from '../../src/shared/clock.js';
import { openStorage, type Storage } from '../../src/storage/index.js';

/** A clock the test moves by hand, so that scheduled deletions are exact. */
export class SteppedClock implements Clock {
  private now = Date.now() * 1000;
  nowMicros(): number {
    return this.now;
  }
  advanceSeconds(seconds: number): void {
    this.now += seconds * MICROS_PER_SECOND;
  }
}

export interface KvHarness {
  kv: KvService;
  secrets: SecretService;
  versions: VersionService;
  access: AccessService;
  actor: Actor;
  scope: KvScope;
  clock: SteppedClock;
  storage: Storage;
  close(): Promise<void>;
}

/** Actions the harness refuses, and every action it was asked about, in order. */
export interface AuthorizationProbe {
  denied: Set<Action>;
  asked: Action[];
}

/** The real services over a real SQLite file, in process: the KV semantics without HTTP. */
export const openKvHarness = async (probe: AuthorizationProbe = { denied: new Set(), asked: [] }): Promise<KvHarness> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'coffer-kv-'));
  const storage = await openStorage({ kind: 'sqlite', dataDir });
  const clock = new SteppedClock();
  const regions = ['fr-par', 'nl-ams'];
  const realIam = createIamService({ store: storage.iam, clock });
  // The authorize seam, observed: IAM will grant listing and reading data separately.
  const iam: typeof realIam = {
    ...realIam,
    authorize: (actor, action, resource) => {
      probe.asked.push(action);
      if (probe.denied.has(action)) {
        throw new AppError('permission_denied', `denied ${action}`);
      }
      realIam.authorize(actor, action, resource);
    },
  };
  const keys = createKeyService({ store: storage.keys, rootKey: createRootKey([fileRootProtector(randomBytes(32))], randomBytes(32)), clock });
  const secrets = createSecretService({ store: storage.secrets, iam, clock, regions });
  const versions = createVersionService({ store: storage.secrets, keys, iam, clock, regions });
  const access = createAccessService({ store: storage.secrets, keys, iam, clock, regions });
  const kv = createKvService({ store: storage.secrets, kvStore: storage.kv, secrets, access, keys, iam, clock, regions });
  const secretKey = crypto.randomUUID();
  await iam.bootstrap({ accessKey: 'SCWKVHARNESS00000001', secretKey });
  const actor = await iam.authenticate(secretKey);
  return {
    kv,
    secrets,
    versions,
    access,
    actor,
    scope: { projectId: null, region: 'fr-par' },
    clock,
    storage,
    close: async () => {
      await storage.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};
