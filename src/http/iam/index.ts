import type { FastifyInstance } from 'fastify';
import { AppError } from '../../shared/errors.js';
import { parseTimestampMicros } from '../../shared/clock.js';
import { actorOf, registerAuthentication } from '../auth.js';
import { sendJson, sendNoContent } from '../json.js';
import { handleScalewayError } from '../scaleway/errors.js';
import type { CofferServices } from '../services.js';
import { parseWith } from '../validation.js';
import { presentApiKey, presentApplication, presentPermissionSet, presentPolicy, presentRule } from './presenters.js';
import { registerPrincipalRoutes } from './principal-routes.js';
import { idOf, listed } from './replies.js';
import {
  apiKeySchema,
  apiKeyUpdateSchema,
  applicationSchema,
  applicationUpdateSchema,
  policySchema,
  policyUpdateSchema,
  principalOf,
  setRulesSchema,
} from './schemas.js';


const expiryOf = (expiresAt: string | undefined): number | null => {
  const micros = expiresAt === undefined ? null : parseTimestampMicros(expiresAt);
  if (expiresAt !== undefined && micros === null) {
    throw new AppError('invalid_argument', 'expires_at is not a timestamp', { problems: [{ field: 'expires_at', reason: 'format', message: 'expires_at must be RFC 3339' }] });
  }
  return micros;
};

const ownerOf = (body: { application_id?: string | undefined; user_id?: string | undefined }): { kind: 'application' | 'user'; id: string } => {
  if ((body.application_id === undefined) === (body.user_id === undefined)) {
    throw new AppError('invalid_argument', 'give exactly one of application_id and user_id', {
      problems: [{ field: 'application_id', reason: 'required', message: 'an API key belongs to exactly one application or user' }],
    });
  }
  return body.application_id === undefined ? { kind: 'user', id: body.user_id ?? '' } : { kind: 'application', id: body.application_id };
};

/** A subset of Scaleway's IAM API v1alpha1: users, groups, applications, policies with rules, API keys, permission sets. */
export const registerIamApi = (app: FastifyInstance, services: CofferServices): void => {
  app.setErrorHandler(handleScalewayError);
  registerAuthentication(app, services.iam);
  const admin = services.iamAdmin;
  registerPrincipalRoutes(app, admin);

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
  app.patch('/applications/:id', async (request, reply) => {
    const body = parseWith(applicationUpdateSchema, request.body ?? {});
    const count = await countKeys(request);
    const updated = await admin.updateApplication(actorOf(request), idOf(request.params), body);
    return sendJson(reply, 200, presentApplication(updated, count(updated.id)));
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
      principal: principalOf(body) ?? null,
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
    const principal = principalOf(body);
    const policy = await admin.updatePolicy(actorOf(request), idOf(request.params), {
      ...(body.name === undefined ? {} : { name: body.name }),
      ...(body.description === undefined ? {} : { description: body.description }),
      ...(body.tags === undefined ? {} : { tags: body.tags }),
      ...(principal === undefined ? {} : { principal }),
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
    const created = await admin.createApiKey(actorOf(request), {
      owner: ownerOf(body),
      defaultProjectId: body.default_project_id ?? null,
      description: body.description ?? '',
      expiresAt: expiryOf(body.expires_at),
    });
    return sendJson(reply, 200, presentApiKey(created.record, created.secretKey));
  });
  app.get('/api-keys', async (request, reply) => listed(reply, 'api_keys', (await admin.listApiKeys(actorOf(request))).map((key) => presentApiKey(key))));
  app.get('/api-keys/:id', async (request, reply) => sendJson(reply, 200, presentApiKey(await admin.getApiKey(actorOf(request), idOf(request.params)))));
  app.patch('/api-keys/:id', async (request, reply) => {
    const body = parseWith(apiKeyUpdateSchema, request.body ?? {});
    const updated = await admin.updateApiKey(actorOf(request), idOf(request.params), {
      ...(body.description === undefined ? {} : { description: body.description }),
      ...(body.default_project_id === undefined ? {} : { defaultProjectId: body.default_project_id }),
      ...(body.expires_at === undefined ? {} : { expiresAt: expiryOf(body.expires_at) }),
    });
    return sendJson(reply, 200, presentApiKey(updated));
  });
  app.delete('/api-keys/:id', async (request, reply) => {
    await admin.deleteApiKey(actorOf(request), idOf(request.params));
    return sendNoContent(reply);
  });
};
