export { createIamService, hashSecretKey } from './iam-service.js';
export type { IamService, BootstrapRequest, BootstrapResult } from './iam-service.js';
export type { IamStore } from './iam-store.js';
export type { Action, Actor, ApiKeyRecord, Organization, Project, ResourceRef } from './iam-model.js';
