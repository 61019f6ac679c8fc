import { z } from 'zod';

const uuid = z.string().uuid();
const tags = z.array(z.string().max(128)).max(64).optional();

export const applicationSchema = z.object({
  name: z.string().max(64).optional(),
  organization_id: uuid.optional(),
  description: z.string().max(200).optional(),
  tags,
});

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

export const policySchema = z.object({
  name: z.string().max(64).optional(),
  description: z.string().max(200).optional(),
  organization_id: uuid.optional(),
  rules: z.array(ruleSchema).max(50).optional(),
  tags,
  application_id: uuid.optional(),
  user_id: z.undefined({ error: 'policies for users are not supported yet; attach the policy to an application' }).optional(),
  group_id: z.undefined({ error: 'policies for groups are not supported yet; attach the policy to an application' }).optional(),
  no_principal: z.boolean().optional(),
});

export const policyUpdateSchema = z.object({
  name: z.string().max(64).optional(),
  description: z.string().max(200).optional(),
  tags,
  application_id: uuid.optional(),
  no_principal: z.boolean().optional(),
  user_id: z.undefined({ error: 'policies for users are not supported yet; attach the policy to an application' }).optional(),
  group_id: z.undefined({ error: 'policies for groups are not supported yet; attach the policy to an application' }).optional(),
});

export const setRulesSchema = z.object({ policy_id: uuid, rules: z.array(ruleSchema).max(50) });

export const apiKeySchema = z.object({
  application_id: uuid,
  user_id: z.undefined({ error: 'API keys of users are not supported yet' }).optional(),
  expires_at: z.string().datetime({ offset: true }).optional(),
  default_project_id: uuid.optional(),
  description: z.string().max(200).optional(),
});
