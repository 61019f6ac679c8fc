/** Domain shapes of customer-managed keys (Scaleway Key Manager's "keys"). Times are epoch microseconds. */

export const KEY_STATES = ['enabled', 'disabled', 'pending_key_material', 'scheduled_for_deletion'] as const;
export type KeyState = (typeof KEY_STATES)[number];

/** `scaleway_kms`: Coffer made the material; `external`: the caller imports it. */
export const KEY_ORIGINS = ['scaleway_kms', 'external'] as const;
export type KeyOrigin = (typeof KEY_ORIGINS)[number];

/** Only symmetric AES-256-GCM keys exist today; the fields leave room for others. */
export type KeyUsage = 'symmetric_encryption';
export type KeyAlgorithm = 'aes_256_gcm';

export interface RotationPolicy {
  periodSeconds: number;
  nextRotationAt: number;
}

export interface CustomerKey {
  id: string;
  organizationId: string;
  projectId: string;
  region: string;
  name: string;
  description: string;
  tags: string[];
  usage: KeyUsage;
  algorithm: KeyAlgorithm;
  state: KeyState;
  /** What `restore` puts back after a scheduled deletion. */
  stateBeforeDeletion: KeyState | null;
  protected: boolean;
  origin: KeyOrigin;
  /** The version new encryptions use; 0 while an external key waits for its material. */
  currentVersion: number;
  rotationPolicy: RotationPolicy | null;
  rotatedAt: number | null;
  createdAt: number;
  updatedAt: number;
  deletionRequestedAt: number | null;
}

/**
 * One generation of a key's material, wrapped by the root key. Every version is kept
 * until the key is purged, so ciphertexts made before a rotation stay readable.
 */
export interface KeyVersionRecord {
  /** Opaque id; secret versions name it in their `kek_id` column. */
  id: string;
  keyId: string;
  version: number;
  wrappedMaterial: Uint8Array;
  createdAt: number;
}

export type KeyOrder = 'name_asc' | 'name_desc' | 'created_at_asc' | 'created_at_desc' | 'updated_at_asc' | 'updated_at_desc';

export interface KeyFilter {
  region: string;
  organizationId: string;
  projectId: string | null;
  /** Only these projects (the ones the caller may read); null: no such limit. */
  projectIds: string[] | null;
  name: string | null;
  tags: string[];
  /** true: only keys scheduled for deletion; false: only the others. */
  scheduledForDeletion: boolean;
}

/** How far the re-wrap of a key's secrets' data keys under its current version has got. */
export interface RewrapProgress {
  keyId: string;
  currentVersion: number;
  total: number;
  underCurrent: number;
}

export const rotationCountOf = (key: CustomerKey): number => Math.max(0, key.currentVersion - 1);
