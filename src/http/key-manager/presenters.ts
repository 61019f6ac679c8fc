import { rotationCountOf, type CustomerKey, type RewrapProgress } from '../../core/kms/index.js';
import { formatMicros } from '../../shared/clock.js';

const time = (micros: number | null): string | null => (micros === null ? null : formatMicros(micros));

/** A key in Scaleway Key Manager v1alpha1's shape. */
export const presentKey = (key: CustomerKey) => ({
  id: key.id,
  project_id: key.projectId,
  name: key.name,
  usage: { symmetric_encryption: key.algorithm },
  state: key.state,
  rotation_count: rotationCountOf(key),
  created_at: time(key.createdAt),
  updated_at: time(key.updatedAt),
  protected: key.protected,
  // Scaleway locks keys its own services manage; no Coffer key is locked.
  locked: false,
  description: key.description,
  tags: key.tags,
  rotated_at: time(key.rotatedAt),
  rotation_policy: key.rotationPolicy
    ? { rotation_period: `${key.rotationPolicy.periodSeconds}s`, next_rotation_at: time(key.rotationPolicy.nextRotationAt) }
    : null,
  origin: key.origin,
  deletion_requested_at: time(key.deletionRequestedAt),
  region: key.region,
});

/** Coffer's re-wrap progress after a rotation. */
export const presentProgress = (progress: RewrapProgress) => ({
  key_id: progress.keyId,
  current_version: progress.currentVersion,
  data_keys_total: progress.total,
  data_keys_rewrapped: progress.underCurrent,
  complete: progress.underCurrent >= progress.total,
});
