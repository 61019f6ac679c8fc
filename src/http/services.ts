import type { AuditService } from '../core/audit/index.js';
import type { IamAdminService, IamService } from '../core/iam/index.js';
import type { KeyService } from '../core/keys/index.js';
import type { KeyManager } from '../core/kms/index.js';
import type { EventFeed, WebhookService } from '../core/events/index.js';
import type { KvService } from '../core/kv/index.js';
import type { BackupService, ExportService } from '../core/backup/index.js';
import type { RotationService } from '../core/rotation/index.js';
import type { OffsetClock, Scheduler } from '../core/scheduler/index.js';
import type { AccessService, BrowseService, CertificateService, DeletionService, LifecycleService, SecretService, VersionService } from '../core/secrets/index.js';

/** The core services every wire adapter is built over: one set, shared by all APIs. */
export interface CofferServices {
  iam: IamService;
  iamAdmin: IamAdminService;
  secrets: SecretService;
  versions: VersionService;
  access: AccessService;
  browse: BrowseService;
  /** What certificate secrets hold, without their payload. */
  certificates: CertificateService;
  /** Deactivation and expiration of whole secrets. */
  lifecycle: LifecycleService;
  /** Pending deletion with a window per request, and the confirmed forced purge. */
  deletion: DeletionService;
  /** The whole store as a backup stream (admin keys only). */
  backup: BackupService;
  /** Selected secrets, each payload sealed to a recipient's key. */
  exports: ExportService;
  /** Rotation policies and rotate-now. */
  rotation: RotationService;
  /** The change feed and webhook subscriptions; absent, their routes are not served. */
  notifications?: { feed: EventFeed; webhooks: WebhookService };
  /** The key/value view (Vault KV v2, OVHcloud) over the same secrets. */
  kv: KvService;
  keys: Pick<KeyService, 'rotate' | 'listScopes'>;
  /** Customer-managed keys (Scaleway Key Manager v1alpha1). */
  kms: KeyManager;
  audit: AuditService;
  /** The first configured region: where region-less Coffer endpoints look. */
  defaultRegion: string;
  /** Whether requests are recorded (off only to measure what auditing costs). */
  recordRequests: boolean;
  /** Resolves when the store answers; `/health` uses it. */
  checkHealth(): Promise<void>;
  /** The one scheduler: its status and "run a pass now". */
  scheduler: Pick<Scheduler, 'runPass' | 'status'>;
  /** Only with COFFER_TEST_CLOCK=on: the clock tests move forward over HTTP; null otherwise. */
  testClock: OffsetClock | null;
}
