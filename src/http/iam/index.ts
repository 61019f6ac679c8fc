import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../../shared/errors.js';
import { parseTimestampMicros } from '../../shared/clock.js';
import { actorOf, registerAuthentication } from '../auth.js';
import { sendJson, sendNoContent } from '../json.js';
import { handleScalewayError } from '../scaleway/errors.js';
import type { CofferServices } from '../services.js';
import { parseWith } from '../validation.js';
import { presentApiKey, presentApplication, presentPermissionSet, presentPolicy, presentRule } from './presenters.js';
import { apiKeySchema, applicationSchema, policySchema, policyUpdateSchema, setRulesSchema } from './schemas.js';

const listed = <T>(reply: FastifyReply, name: string, items: T[]) => sendJson(reply, 200, { [name]: items, total_count: items.length });
const idOf = (params: unknown): string => (params as { id?: string }).id ?? '';

/** A subset of Scaleway's IAM API v1alpha1: applications, policies with rules, API keys, permission sets. */
export const registerIamApi = (app: FastifyInstance, services: CofferServices): void => {
  app.setErrorHandler(handleScalewayError);
  registerAuthentication(app, services.iam);
  const admin = services.iamAdmin;

  app.get('/permission-sets', async (request, reply) => listed(reply, 'permission_sets', admin.listPermissionSets(actorOf(request)).map(presentPermissionSet)));

  const countKeys = async (request: Parameters<typeof actorOf>[0]) => {
    const keys = await admin.listApiKeys(actorOf(request));
    return (applicationId: string) => keys.filter((key) => key.applicationId === applicationId).length;
  };

  app.post('/applications', async (request, reply) => {
    const body = parseWith(applicationSchema, request.body ?? {});
    const created = await admin.createApplication(actorOf(request), { name: body.name ?? `app-${Date.now().toString(36)}`, description: body.description ?? '', tags: body.tags ?? [] });
    return sendJson(reply, 200, presentApplication(created, 0));
  });
  app.get('/applications', async (request, reply) => {
    const count = await countKeys(request);
    return listed(reply, 'applications', (await admin.listApplications(actorOf(request))).map((item) => presentApplication(item, count(item.id))));
  });
  app.get('/applications/:id', async (request, reply) => {
    const count = await countKeys(request);
    const application = await admin.getApplication(actorOf(request), idOf(request.params));
    return sendJson(reply, 200, presentApplication(application, count(application.id)));
  });
  app.delete('/applications/:id', async (request, reply) => {
    await admin.deleteApplication(actorOf(request), idOf(request.params));
    return sendNoContent(reply);
  });

  app.post('/policies', async (request, reply) => {
    const body = parseWith(policySchema, request.body ?? {});
    const policy = await admin.createPolicy(actorOf(request), {
      name: body.name ?? `policy-${Date.now().toString(36)}`,
      description: body.description ?? '',
      tags: body.tags ?? [],
      applicationId: body.application_id ?? null,
      rules: (body.rules ?? []).map((rule) => ({
        permissionSetNames: rule.permission_set_names,
        projectIds: rule.project_ids ?? null,
        condition: rule.condition ?? '',
      })),
    });
    return sendJson(reply, 200, presentPolicy(policy));
  });
  app.get('/policies', async (request, reply) => listed(reply, 'policies', (await admin.listPolicies(actorOf(request))).map(presentPolicy)));
  app.get('/policies/:id', async (request, reply) => sendJson(reply, 200, presentPolicy(await admin.getPolicy(actorOf(request), idOf(request.params)))));
  app.patch('/policies/:id', async (request, reply) => {
    const body = parseWith(policyUpdateSchema, request.body ?? {});
    const principal = body.application_id !== undefined ? { applicationId: body.application_id } : body.no_principal === true ? { applicationId: null } : {};
    const policy = await admin.updatePolicy(actorOf(request), idOf(request.params), {
      ...(body.name === undefined ? {} : { name: body.name }),
      ...(body.description === undefined ? {} : { description: body.description }),
      ...(body.tags === undefined ? {} : { tags: body.tags }),
      ...principal,
    });
    return sendJson(reply, 200, presentPolicy(policy));
  });
  // Scaleway's SetRules: the policy's rules are replaced as a whole.
  app.put('/rules', async (request, reply) => {
    const body = parseWith(setRulesSchema, request.body ?? {});
    const policy = await admin.updatePolicy(actorOf(request), body.policy_id, {
      rules: body.rules.map((rule) => ({ permissionSetNames: rule.permission_set_names, projectIds: rule.project_ids ?? null, condition: rule.condition ?? '' })),
    });
    return listed(reply, 'rules', policy.rules.map((rule) => presentRule(rule, policy.organizationId)));
  });
  app.delete('/policies/:id', async (request, reply) => {
    await admin.deletePolicy(actorOf(request), idOf(request.params));
    return sendNoContent(reply);
  });
  app.get('/rules', async (request, reply) => {
    const policyId = (request.query as { policy_id?: string }).policy_id ?? '';
    const policy = await admin.getPolicy(actorOf(request), policyId);
    return listed(reply, 'rules', policy.rules.map((rule) => presentRule(rule, policy.organizationId)));
  });

  app.post('/api-keys', async (request, reply) => {
    const body = parseWith(apiKeySchema, request.body ?? {});
    const expiresAt = body.expires_at === undefined ? null : parseTimestampMicros(body.expires_at);
    if (body.expires_at !== undefined && expiresAt === null) {
      throw new AppError('invalid_argument', 'expires_at is not a timestamp', { problems: [{ field: 'expires_at', reason: 'format', message: 'expires_at must be RFC 3339' }] });
    }
    const created = await admin.createApiKey(actorOf(request), {
      applicationId: body.application_id,
      defaultProjectId: body.default_project_id ?? null,
      description: body.description ?? '',
      expiresAt,
    });
    return sendJson(reply, 200, presentApiKey(created.record, created.secretKey));
  });
  app.get('/api-keys', async (request, reply) => listed(reply, 'api_keys', (await admin.listApiKeys(actorOf(request))).map((key) => presentApiKey(key))));
  app.get('/api-keys/:id', async (request, reply) => sendJson(reply, 200, presentApiKey(await admin.getApiKey(actorOf(request), idOf(request.params)))));
  app.delete('/api-keys/:id', async (request, reply) => {
    await admin.deleteApiKey(actorOf(request), idOf(request.params));
    return sendNoContent(reply);
  });
};
