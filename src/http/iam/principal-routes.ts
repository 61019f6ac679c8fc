import type { FastifyInstance } from 'fastify';
import type { IamAdminService } from '../../core/iam/index.js';
import { actorOf } from '../auth.js';
import { sendJson, sendNoContent } from '../json.js';
import { parseWith } from '../validation.js';
import { idOf, listed } from './replies.js';
import { presentGroup, presentUser } from './presenters.js';
import { groupSchema, groupUpdateSchema, memberOf, membersOf, membersSchema, memberSchema, passwordSchema, userSchema, userUpdateSchema } from './schemas.js';

/** Scaleway IAM's users and groups. */
export const registerPrincipalRoutes = (app: FastifyInstance, admin: IamAdminService): void => {
  app.post('/users', async (request, reply) => {
    const body = parseWith(userSchema, request.body ?? {});
    const member = body.member;
    const user = await admin.createUser(actorOf(request), {
      email: member?.email ?? body.email ?? '',
      password: member?.password ?? null,
      username: member?.username ?? '',
      firstName: member?.first_name ?? '',
      lastName: member?.last_name ?? '',
      tags: body.tags ?? [],
    });
    return sendJson(reply, 200, presentUser(user));
  });
  app.get('/users', async (request, reply) => listed(reply, 'users', (await admin.listUsers(actorOf(request))).map(presentUser)));
  app.get('/users/:id', async (request, reply) => sendJson(reply, 200, presentUser(await admin.getUser(actorOf(request), idOf(request.params)))));
  app.patch('/users/:id', async (request, reply) => {
    const body = parseWith(userUpdateSchema, request.body ?? {});
    const user = await admin.updateUser(actorOf(request), idOf(request.params), {
      ...(body.email === undefined ? {} : { email: body.email }),
      ...(body.username === undefined ? {} : { username: body.username }),
      ...(body.first_name === undefined ? {} : { firstName: body.first_name }),
      ...(body.last_name === undefined ? {} : { lastName: body.last_name }),
      ...(body.tags === undefined ? {} : { tags: body.tags }),
    });
    return sendJson(reply, 200, presentUser(user));
  });
  app.post('/users/:id/update-password', async (request, reply) => {
    const body = parseWith(passwordSchema, request.body ?? {});
    return sendJson(reply, 200, presentUser(await admin.setPassword(actorOf(request), idOf(request.params), body.password)));
  });
  app.delete('/users/:id', async (request, reply) => {
    await admin.deleteUser(actorOf(request), idOf(request.params));
    return sendNoContent(reply);
  });

  app.post('/groups', async (request, reply) => {
    const body = parseWith(groupSchema, request.body ?? {});
    const group = await admin.createGroup(actorOf(request), { name: body.name ?? `grp-${Date.now().toString(36)}`, description: body.description ?? '', tags: body.tags ?? [] });
    return sendJson(reply, 200, presentGroup(group));
  });
  app.get('/groups', async (request, reply) => listed(reply, 'groups', (await admin.listGroups(actorOf(request))).map(presentGroup)));
  app.get('/groups/:id', async (request, reply) => sendJson(reply, 200, presentGroup(await admin.getGroup(actorOf(request), idOf(request.params)))));
  app.patch('/groups/:id', async (request, reply) => {
    const body = parseWith(groupUpdateSchema, request.body ?? {});
    return sendJson(reply, 200, presentGroup(await admin.updateGroup(actorOf(request), idOf(request.params), body)));
  });
  app.put('/groups/:id/members', async (request, reply) => {
    const members = membersOf(parseWith(membersSchema, request.body ?? {}));
    return sendJson(reply, 200, presentGroup(await admin.setMembers(actorOf(request), idOf(request.params), members)));
  });
  app.post('/groups/:id/add-members', async (request, reply) => {
    const members = membersOf(parseWith(membersSchema, request.body ?? {}));
    return sendJson(reply, 200, presentGroup(await admin.addMembers(actorOf(request), idOf(request.params), members)));
  });
  app.post('/groups/:id/add-member', async (request, reply) => {
    const member = memberOf(parseWith(memberSchema, request.body ?? {}));
    return sendJson(reply, 200, presentGroup(await admin.addMembers(actorOf(request), idOf(request.params), [member])));
  });
  app.post('/groups/:id/remove-member', async (request, reply) => {
    const member = memberOf(parseWith(memberSchema, request.body ?? {}));
    return sendJson(reply, 200, presentGroup(await admin.removeMembers(actorOf(request), idOf(request.params), [member])));
  });
  app.delete('/groups/:id', async (request, reply) => {
    await admin.deleteGroup(actorOf(request), idOf(request.params));
    return sendNoContent(reply);
  });
};
