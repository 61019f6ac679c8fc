export { createIamService, hashSecretKey } from './iam-service.js';
export type { IamService, BootstrapRequest, BootstrapResult } from './iam-service.js';
export type { IamStore } from './iam-store.js';
export type { Action, Actor, ApiKeyRecord, Application, Grant, Organization, Policy, PolicyRule, Project, ResourceRef } from './iam-model.js';
export { PERMISSION_SETS, permissionSetNamed } from './permission-sets.js';
export type { PermissionSet } from './permission-sets.js';
export { createIamAdminService } from './iam-admin-service.js';
export type { IamAdminService, PolicyInput, RuleInput, ApiKeyInput } from './iam-admin-service.js';
