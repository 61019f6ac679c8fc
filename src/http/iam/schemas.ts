import { z } from 'zod';
import type { Principal } from '../../core/iam/index.js';
import { AppError } from '../../shared/errors.js';

const uuid = z.string().uuid();
const tags = z.array(z.string().max(128)).max(64).optional();
const name = z.string().max(64).optional();
const description = z.string().max(200).optional();

export const applicationSchema = z.object({ name, organization_id: uuid.optional(), description, tags });
export const applicationUpdateSchema = z.object({ name, description, tags });

const ruleSchema = z
  .object({
    permission_set_names: z.array(z.string().min(1).max(128)).max(50),
    project_ids: z.array(uuid).max(100).optional(),
    organization_id: uuid.optional(),
    condition: z.string().max(1024).optional(),
  })
  .refine((rule) => (rule.project_ids === undefined) !== (rule.organization_id === undefined), {
    message: 'a rule takes either project_ids or organization_id',
  });

/** Scaleway's one-of principal: at most one of these fields. */
const principalFields = {
  application_id: uuid.optional(),
  user_id: uuid.optional(),
  group_id: uuid.optional(),
  no_principal: z.boolean().optional(),
};

type PrincipalFields = { application_id?: string | undefined; user_id?: string | undefined; group_id?: string | undefined; no_principal?: boolean | undefined };

/** The principal a request names: undefined when it names none, null for `no_principal`. */
export const principalOf = (body: PrincipalFields): Principal | null | undefined => {
  const named: Principal[] = [
    ...(body.application_id ? [{ kind: 'application' as const, id: body.application_id }] : []),
    ...(body.user_id ? [{ kind: 'user' as const, id: body.user_id }] : []),
    ...(body.group_id ? [{ kind: 'group' as const, id: body.group_id }] : []),
  ];
  if (named.length + (body.no_principal === true ? 1 : 0) > 1) {
    throw new AppError('invalid_argument', 'give only one of application_id, user_id, group_id and no_principal', {
      problems: [{ field: 'principal', reason: 'constraint', message: 'a policy has at most one principal' }],
    });
  }
  return named[0] ?? (body.no_principal === true ? null : undefined);
};

export const policySchema = z.object({ name, description, organization_id: uuid.optional(), rules: z.array(ruleSchema).max(50).optional(), tags, ...principalFields });
export const policyUpdateSchema = z.object({ name, description, tags, ...principalFields });
export const setRulesSchema = z.object({ policy_id: uuid, rules: z.array(ruleSchema).max(50) });

const timestamp = z.string().datetime({ offset: true });
export const apiKeySchema = z.object({
  application_id: uuid.optional(),
  user_id: uuid.optional(),
  expires_at: timestamp.optional(),
  default_project_id: uuid.optional(),
  description,
});
export const apiKeyUpdateSchema = z.object({ description, default_project_id: uuid.optional(), expires_at: timestamp.optional() });

const password = z.string().max(256);
const profile = { username: z.string().max(64).optional(), first_name: z.string().max(64).optional(), last_name: z.string().max(64).optional() };
export const userSchema = z.object({
  organization_id: uuid.optional(),
  email: z.string().max(254).optional(),
  tags,
  member: z
    .object({
      email: z.string().max(254),
      password: password.optional(),
      send_password_email: z.boolean().optional(),
      send_welcome_email: z.boolean().optional(),
      phone_number: z.string().max(32).optional(),
      locale: z.string().max(16).optional(),
      ...profile,
    })
    .optional(),
});
export const userUpdateSchema = z.object({ email: z.string().max(254).optional(), tags, phone_number: z.string().max(32).optional(), locale: z.string().max(16).optional(), ...profile });
export const passwordSchema = z.object({ password, send_email: z.boolean().optional() });

export const groupSchema = z.object({ organization_id: uuid.optional(), name, description, tags });
export const groupUpdateSchema = z.object({ name, description, tags });
const ids = z.array(uuid).max(1000).optional();
export const membersSchema = z.object({ user_ids: ids, application_ids: ids, group_ids: ids });
export const memberSchema = z.object({ user_id: uuid.optional(), application_id: uuid.optional(), group_id: uuid.optional() });

/** Members named by a request, groups (a Coffer extension) included. */
export const membersOf = (body: { user_ids?: string[] | undefined; application_ids?: string[] | undefined; group_ids?: string[] | undefined }): Principal[] => [
  ...(body.user_ids ?? []).map((id) => ({ kind: 'user' as const, id })),
  ...(body.application_ids ?? []).map((id) => ({ kind: 'application' as const, id })),
  ...(body.group_ids ?? []).map((id) => ({ kind: 'group' as const, id })),
];

/** add-member and remove-member name exactly one member. */
export const memberOf = (body: { user_id?: string | undefined; application_id?: string | undefined; group_id?: string | undefined }): Principal => {
  const members = membersOf({
    ...(body.user_id ? { user_ids: [body.user_id] } : {}),
    ...(body.application_id ? { application_ids: [body.application_id] } : {}),
    ...(body.group_id ? { group_ids: [body.group_id] } : {}),
  });
  const [member] = members;
  if (members.length !== 1 || !member) {
    throw new AppError('invalid_argument', 'give exactly one of user_id, application_id and group_id', {
      problems: [{ field: 'user_id', reason: 'required', message: 'give exactly one of user_id, application_id and group_id' }],
    });
  }
  return member;
};
