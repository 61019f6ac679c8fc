/** Principals and credentials. Only the bootstrap admin exists until IAM lands in full. */

export interface Organization {
  id: string;
  name: string;
  createdAt: number;
}

export interface Project {
  id: string;
  organizationId: string;
  name: string;
  description: string;
  createdAt: number;
  updatedAt: number;
}

export interface ApiKeyRecord {
  accessKey: string;
  /** SHA-256 of the secret key; the secret key itself is never stored. */
  secretKeyHash: Uint8Array;
  organizationId: string;
  defaultProjectId: string;
  description: string;
  /** `admin` keys hold every permission in their organization. */
  role: 'admin';
  createdAt: number;
  expiresAt: number | null;
}

/** Who is calling, as every service method that needs authorization receives it. */
export interface Actor {
  kind: 'api_key';
  accessKey: string;
  organizationId: string;
  defaultProjectId: string;
  role: ApiKeyRecord['role'];
}

/** The resource an action targets; narrower fields are filled in when known. */
export interface ResourceRef {
  organizationId: string;
  projectId?: string;
  region?: string;
  secretId?: string;
}

/**
 * Actions are `<product>:<noun>:<verb>`. Reading a secret's metadata and reading its
 * payload are separate actions, because IAM grants them separately.
 */
export type Action =
  | 'secrets:secret:list'
  | 'secrets:secret:read'
  | 'secrets:secret:create'
  | 'secrets:secret:update'
  | 'secrets:secret:delete'
  | 'secrets:version:create'
  | 'secrets:version:update'
  | 'secrets:version:delete'
  | 'secrets:version:access'
  | 'keys:kek:read'
  | 'keys:kek:rotate';
