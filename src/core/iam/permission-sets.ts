import type { Action } from './iam-model.js';

export interface PermissionSet {
  name: string;
  /** `projects`: a rule grants it on listed projects; `organization`: on the whole organization only. */
  scopeType: 'projects' | 'organization';
  description: string;
  categories: string[];
  actions: readonly Action[];
}

const SECRET_READ: Action[] = ['secrets:secret:list', 'secrets:secret:read', 'secrets:event:list'];
/** Customer-managed keys; using one through a secret needs none of these. */
const KEY_ALL: Action[] = ['keys:kek:read', 'keys:kek:rotate', 'keys:key:read', 'keys:key:create', 'keys:key:update', 'keys:key:delete', 'keys:key:encrypt', 'keys:key:decrypt'];
const SECRET_ALL: Action[] = [
  ...SECRET_READ,
  'secrets:secret:create',
  'secrets:secret:update',
  'secrets:secret:delete',
  'secrets:secret:rotate',
  'secrets:version:create',
  'secrets:version:update',
  'secrets:version:delete',
  'secrets:version:access',
];

/**
 * Scaleway's permission sets Coffer knows, and the actions each grants. Reading a
 * secret's metadata (ReadOnly) and reading its payload (SecretAccess) are separate.
 */
export const PERMISSION_SETS: readonly PermissionSet[] = [
  { name: 'SecretManagerReadOnly', scopeType: 'projects', description: 'List and read secrets and versions, never their data', categories: ['Secret Manager'], actions: SECRET_READ },
  { name: 'SecretManagerSecretAccess', scopeType: 'projects', description: 'Read the data of secret versions', categories: ['Secret Manager'], actions: ['secrets:version:access'] },
  {
    name: 'SecretManagerSecretCreate',
    scopeType: 'projects',
    description: 'Create secrets and add versions',
    categories: ['Secret Manager'],
    actions: ['secrets:secret:create', 'secrets:version:create'],
  },
  { name: 'SecretManagerFullAccess', scopeType: 'projects', description: 'Every Secret Manager action', categories: ['Secret Manager'], actions: SECRET_ALL },
  { name: 'KeyManagerFullAccess', scopeType: 'projects', description: 'Every Key Manager action: keys, their lifecycle and use, and the project keys', categories: ['Key Manager'], actions: KEY_ALL },
  { name: 'KeyManagerReadOnly', scopeType: 'projects', description: 'List and read keys and the re-wrap progress, never use them', categories: ['Key Manager'], actions: ['keys:kek:read', 'keys:key:read'] },
  { name: 'IAMReadOnly', scopeType: 'organization', description: 'Read applications, policies, API keys and projects', categories: ['IAM'], actions: ['iam:read', 'projects:project:read'] },
  {
    name: 'IAMManager',
    scopeType: 'organization',
    description: 'Manage applications, policies and API keys',
    categories: ['IAM'],
    actions: ['iam:read', 'iam:write', 'projects:project:read', 'secrets:webhook:manage'],
  },
  {
    name: 'ProjectManager',
    scopeType: 'organization',
    description: 'Read, create, update and delete projects',
    categories: ['Account'],
    actions: ['projects:project:read', 'projects:project:create', 'projects:project:update', 'projects:project:delete'],
  },
  { name: 'AuditLogReadOnly', scopeType: 'organization', description: 'Read the audit trail', categories: ['Audit Trail'], actions: ['audit:event:read'] },
  {
    name: 'OrganizationManager',
    scopeType: 'organization',
    description: 'Every action in the organization, as the bootstrap key holds',
    categories: ['Organization'],
    actions: [
      ...SECRET_ALL,
      ...KEY_ALL,
      'iam:read',
      'iam:write',
      'projects:project:read',
      'projects:project:create',
      'projects:project:update',
      'projects:project:delete',
      'audit:event:read',
      'secrets:webhook:manage',
    ],
  },
];

/**
 * Other products' role and action names, mapped onto the same actions so that a policy
 * written in their terms means the same thing here. NAVER Cloud's Secret Manager has a
 * manager and a user role; OVHcloud names IAM actions `okms:apikms:<resource>/<verb>`.
 */
export const ROLE_BUNDLES: readonly PermissionSet[] = [
  { name: 'NaverSecretManagerManager', scopeType: 'projects', description: "NAVER Cloud's manager role: every Secret Manager action", categories: ['Secret Manager', 'NAVER Cloud'], actions: SECRET_ALL },
  {
    name: 'NaverSecretManagerUser',
    scopeType: 'projects',
    description: "NAVER Cloud's user role: list and read secrets and their data",
    categories: ['Secret Manager', 'NAVER Cloud'],
    actions: [...SECRET_READ, 'secrets:version:access'],
  },
  { name: 'okms:apikms:secret/get', scopeType: 'projects', description: 'OVHcloud: list and describe secrets', categories: ['OVHcloud'], actions: SECRET_READ },
  { name: 'okms:apikms:secret/version/getData', scopeType: 'projects', description: 'OVHcloud: read version data', categories: ['OVHcloud'], actions: ['secrets:version:access'] },
  { name: 'okms:apikms:secret/create', scopeType: 'projects', description: 'OVHcloud: create secrets', categories: ['OVHcloud'], actions: ['secrets:secret:create', 'secrets:version:create'] },
  { name: 'okms:apikms:secret/version/create', scopeType: 'projects', description: 'OVHcloud: add versions', categories: ['OVHcloud'], actions: ['secrets:version:create'] },
  { name: 'okms:apikms:secret/updateMetadata', scopeType: 'projects', description: 'OVHcloud: change secret metadata', categories: ['OVHcloud'], actions: ['secrets:secret:update'] },
  { name: 'okms:apikms:secret/delete', scopeType: 'projects', description: 'OVHcloud: delete secrets', categories: ['OVHcloud'], actions: ['secrets:secret:delete'] },
  {
    name: 'okms:apikms:secret/version/deactivate',
    scopeType: 'projects',
    description: 'OVHcloud: deactivate and reactivate versions',
    categories: ['OVHcloud'],
    actions: ['secrets:version:update'],
  },
  { name: 'okms:apikms:secret/version/delete', scopeType: 'projects', description: 'OVHcloud: delete versions for good', categories: ['OVHcloud'], actions: ['secrets:version:delete'] },
];

const ALL_SETS = [...PERMISSION_SETS, ...ROLE_BUNDLES];

export const permissionSetNamed = (name: string): PermissionSet | undefined => ALL_SETS.find((set) => set.name === name);
