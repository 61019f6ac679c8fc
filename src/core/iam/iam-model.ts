/** Principals (users, applications, groups), their credentials and policies. */

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
  /**
   * `admin` keys hold every permission in their organization; `application` and `user`
   * keys what their owner's policies, and its groups' policies, grant.
   */
  role: 'admin' | 'application' | 'user';
  /** The application the key belongs to, for `application` keys. */
  applicationId: string | null;
  /** The user the key belongs to, for `user` keys. */
  userId: string | null;
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
  applicationId: string | null;
  userId: string | null;
  /** What the caller's policies grant; null for admin keys, which hold everything. */
  grants: readonly Grant[] | null;
  /** The client address of this request, for address-limited rules; null when unknown. */
  sourceAddress: string | null;
  /** What this request asked the authorize seam for, for its audit event; absent on actors built outside a request. */
  note?: AuditNote;
}

/** Filled in by `authorize` while a request runs: the last action asked and the most specific resource. */
export interface AuditNote {
  action: Action | null;
  resource: ResourceRef | null;
  /** The version a read resolved to (`latest` becomes a number). */
  revision: number | null;
}

/** One rule of a policy, resolved to actions: where it applies and what it allows. */
export interface Grant {
  actions: ReadonlySet<Action>;
  /** null: the whole organization. */
  projectIds: readonly string[] | null;
  /** Secret paths the grant is limited to (`/prod/` covers `/prod/db`); null: any. */
  pathPrefixes: readonly string[] | null;
  /** Whether a client address may use the grant; null: any address. */
  fromAddress: ((address: string | null) => boolean) | null;
}

export interface Application {
  id: string;
  organizationId: string;
  name: string;
  description: string;
  tags: string[];
  createdAt: number;
  updatedAt: number;
}

/** Someone a policy can be attached to. Ids are UUIDs, unique across the three kinds. */
export interface Principal {
  kind: 'application' | 'user' | 'group';
  id: string;
}

/** A person of the organization, who signs in with email and password (argon2id-hashed). */
export interface User {
  id: string;
  organizationId: string;
  email: string;
  username: string;
  firstName: string;
  lastName: string;
  /** The argon2id PHC string; null for a user who has not set a password yet. */
  passwordHash: string | null;
  /** `owner` users always count as organization managers. */
  type: 'owner' | 'member';
  tags: string[];
  createdAt: number;
  updatedAt: number;
  lastLoginAt: number | null;
}

/**
 * A named set of users and applications that policies can be attached to. Groups may
 * also contain groups (a Coffer extension), as long as no group ends up inside itself.
 */
export interface Group {
  id: string;
  organizationId: string;
  name: string;
  description: string;
  tags: string[];
  members: Principal[];
  createdAt: number;
  updatedAt: number;
}

export interface PolicyRule {
  id: string;
  permissionSetNames: string[];
  /** null: the organization. */
  projectIds: string[] | null;
  /** From the rule's condition: the secret path prefixes it is limited to; null: any. */
  pathPrefixes?: string[] | null;
  /** From the rule's condition: the client address ranges (CIDR) it is limited to; null: any. */
  ipRanges?: string[] | null;
}

export interface Policy {
  id: string;
  organizationId: string;
  name: string;
  description: string;
  tags: string[];
  /** The principal it is attached to; null when it has none yet. */
  principal: Principal | null;
  rules: PolicyRule[];
  createdAt: number;
  updatedAt: number;
}

/** The resource an action targets; narrower fields are filled in when known. */
export interface ResourceRef {
  organizationId: string;
  projectId?: string;
  region?: string;
  secretId?: string;
  /** The secret's full path, `/prod/db` for the secret `db` at `/prod`, when the action targets one. */
  path?: string;
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
  | 'secrets:secret:rotate'
  | 'secrets:version:create'
  | 'secrets:version:update'
  | 'secrets:version:delete'
  | 'secrets:version:access'
  | 'keys:kek:read'
  | 'keys:kek:rotate'
  | 'keys:key:read'
  | 'keys:key:create'
  | 'keys:key:update'
  | 'keys:key:delete'
  | 'keys:key:encrypt'
  | 'keys:key:decrypt'
  | 'iam:read'
  | 'iam:write'
  | 'projects:project:read'
  | 'projects:project:create'
  | 'projects:project:update'
  | 'projects:project:delete'
  | 'audit:event:read'
  // Lifecycle events: reading the change feed, and managing webhook subscriptions (organization-wide).
  | 'secrets:event:list'
  | 'secrets:webhook:manage'
  // The scheduler is the whole server's: no permission set grants these, only admin keys hold them.
  | 'scheduler:status:read'
  | 'scheduler:pass:run'
  | 'scheduler:clock:advance'
  // Copying the whole store (every organization, the audit trail): admin keys only, like the scheduler's.
  | 'store:backup:read';
