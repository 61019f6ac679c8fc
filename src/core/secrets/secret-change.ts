import type { Secret, SecretVersion } from './secret-model.js';

/**
 * A write the secret store is about to commit, described by its rows before and after.
 * The store hands it to its change hook inside the write's transaction, so whatever the
 * hook records (lifecycle events) commits or rolls back with the change itself.
 */
export type SecretChange =
  | { kind: 'secret_inserted'; secret: Secret }
  | {
      kind: 'secret_updated';
      before: Secret;
      after: Secret;
      /** The versions as they were, when the mutation read them; empty otherwise. */
      versionsBefore: readonly SecretVersion[];
      /** The versions the mutation wrote back. */
      versionsChanged: readonly SecretVersion[];
    }
  | { kind: 'secret_purged'; secret: Secret }
  | { kind: 'version_appended'; secret: Secret; version: SecretVersion }
  | { kind: 'version_updated'; secret: Secret; before: SecretVersion; after: SecretVersion }
  /** A notice point before (or at, `secondsBefore` 0) the expiration, recorded as announced. */
  | { kind: 'expiry_notice_recorded'; secret: Secret; expiresAt: number; secondsBefore: number };
