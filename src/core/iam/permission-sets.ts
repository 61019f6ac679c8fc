import type { Action } from './iam-model.js';

export interface PermissionSet {
  name: string;
  /** `projects`: a rule grants it on listed projects; `organization`: on the whole organization only. */
  scopeType: 'projects' | 'organization';
  description: string;
  categories: string[];
  actions: readonly Action[];
}

const SECRET_READ: Action[] = ['secrets:secret:list', 'secrets:secret:read'];
const SECRET_ALL: Action[] = [
  ...SECRET_READ,
  'secrets:secret:create',
  'secrets:secret:update',
  'secrets:secret:delete',
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
  { name: 'KeyManagerFullAccess', scopeType: 'projects', description: 'Read and rotate encryption keys', categories: ['Key Manager'], actions: ['keys:kek:read', 'keys:kek:rotate'] },
  { name: 'IAMReadOnly', scopeType: 'organization', description: 'Read applications, policies and API keys', categories: ['IAM'], actions: ['iam:read'] },
  { name: 'IAMManager', scopeType: 'organization', description: 'Manage applications, policies and API keys', categories: ['IAM'], actions: ['iam:read', 'iam:write'] },
];

export const permissionSetNamed = (name: string): PermissionSet | undefined => PERMISSION_SETS.find((set) => set.name === name);
