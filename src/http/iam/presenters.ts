import type { ApiKeyRecord, Application, Group, PermissionSet, Policy, PolicyRule, Principal, User } from '../../core/iam/index.js';
import { formatMicros } from '../../shared/clock.js';
import { conditionText, permissionSetNamed } from '../../core/iam/index.js';

const time = (micros: number | null): string | null => (micros === null ? null : formatMicros(micros));

export const presentApplication = (application: Application, apiKeyCount: number) => ({
  id: application.id,
  name: application.name,
  description: application.description,
  created_at: time(application.createdAt),
  updated_at: time(application.updatedAt),
  organization_id: application.organizationId,
  editable: true,
  deletable: true,
  managed: false,
  nb_api_keys: apiKeyCount,
  tags: application.tags,
});

export const presentPolicy = (policy: Policy) => ({
  id: policy.id,
  name: policy.name,
  description: policy.description,
  organization_id: policy.organizationId,
  created_at: time(policy.createdAt),
  updated_at: time(policy.updatedAt),
  editable: true,
  deletable: true,
  managed: false,
  nb_rules: policy.rules.length,
  nb_scopes: new Set(policy.rules.flatMap((rule) => rule.projectIds ?? ['organization'])).size,
  nb_permission_sets: new Set(policy.rules.flatMap((rule) => rule.permissionSetNames)).size,
  tags: policy.tags,
  ...principalFields(policy.principal),
});

const principalFields = (principal: Principal | null) =>
  principal === null ? { no_principal: true } : { [`${principal.kind}_id`]: principal.id };

export const presentRule = (rule: PolicyRule, organizationId: string) => ({
  id: rule.id,
  permission_set_names: rule.permissionSetNames,
  permission_sets_scope_type: permissionSetNamed(rule.permissionSetNames[0] ?? '')?.scopeType ?? 'projects',
  condition: conditionText(rule),
  ...(rule.projectIds === null ? { organization_id: organizationId } : { project_ids: rule.projectIds }),
});

export const presentPermissionSet = (set: PermissionSet) => ({
  id: set.name,
  name: set.name,
  scope_type: set.scopeType,
  description: set.description,
  categories: set.categories,
});

/** The secret key is passed only on creation, the one time it is ever shown. */
export const presentApiKey = (record: ApiKeyRecord, secretKey?: string) => ({
  access_key: record.accessKey,
  ...(secretKey === undefined ? {} : { secret_key: secretKey }),
  ...(record.applicationId === null ? {} : { application_id: record.applicationId }),
  ...(record.userId === null ? {} : { user_id: record.userId }),
  description: record.description,
  created_at: time(record.createdAt),
  updated_at: time(record.createdAt),
  expires_at: time(record.expiresAt),
  default_project_id: record.defaultProjectId,
  editable: record.role !== 'admin',
  deletable: record.role !== 'admin',
  managed: record.role === 'admin',
  creation_ip: '',
});

/** Never the password hash. Fields Coffer does not keep (phone, locale, MFA) answer as empty. */
export const presentUser = (user: User) => ({
  id: user.id,
  email: user.email,
  username: user.username,
  first_name: user.firstName,
  last_name: user.lastName,
  phone_number: '',
  locale: '',
  created_at: time(user.createdAt),
  updated_at: time(user.updatedAt),
  organization_id: user.organizationId,
  deletable: true,
  last_login_at: time(user.lastLoginAt),
  type: user.type,
  two_factor_enabled: false,
  status: user.passwordHash === null ? 'invitation_pending' : 'activated',
  mfa: false,
  account_root_user_id: user.id,
  tags: user.tags,
  locked: false,
});

const idsOf = (group: Group, kind: Principal['kind']) => group.members.filter((member) => member.kind === kind).map((member) => member.id);

/** `group_ids` (groups inside the group) is Coffer's addition to Scaleway's shape. */
export const presentGroup = (group: Group) => ({
  id: group.id,
  created_at: time(group.createdAt),
  updated_at: time(group.updatedAt),
  organization_id: group.organizationId,
  name: group.name,
  description: group.description,
  user_ids: idsOf(group, 'user'),
  application_ids: idsOf(group, 'application'),
  group_ids: idsOf(group, 'group'),
  tags: group.tags,
  editable: true,
  deletable: true,
  managed: false,
});
