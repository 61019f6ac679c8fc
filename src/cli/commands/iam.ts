import type { Command } from 'commander';
import { printRows } from '../output.js';
import { call, collect, IAM, run, text, withConnection, type CommonOptions, type Json } from './iam-common.js';
import { registerIamPrincipals } from './iam-principals.js';

const principalOf = (policy: Json | null): string =>
  policy?.user_id ? `user ${text(policy.user_id)}` : policy?.group_id ? `group ${text(policy.group_id)}` : policy?.application_id ? `application ${text(policy.application_id)}` : '';

/** `coffer iam`: users, groups, applications, policies, API keys and whoami, through the IAM API. */
export const registerIam = (program: Command): void => {
  const iam = program.command('iam').description('manage users, groups, applications, policies and API keys');
  registerIamPrincipals(iam);

  withConnection(iam.command('whoami').description('show the key in use')).action(
    run(async (options) => {
      const me = await call(options, 'GET', '/coffer/v1/whoami');
      printRows(options.output, me, [{ access_key: text(me?.access_key), organization: text(me?.organization_id), project: text(me?.default_project_id), role: text(me?.role) }]);
    }),
  );

  const applications = iam.command('applications').description('applications, which hold API keys');
  withConnection(applications.command('list')).action(
    run(async (options) => {
      const listed = await call(options, 'GET', `${IAM}/applications`);
      const rows = ((listed?.applications ?? []) as Json[]).map((app) => ({ id: text(app.id), name: text(app.name), api_keys: text(app.nb_api_keys) }));
      printRows(options.output, listed, rows);
    }),
  );
  withConnection(applications.command('create').requiredOption('--name <name>').option('--description <text>', '', '')).action(
    run(async (options) => {
      const { name, description } = options as CommonOptions & { name: string; description: string };
      const created = await call(options, 'POST', `${IAM}/applications`, { name, description });
      printRows(options.output, created, [{ id: text(created?.id), name: text(created?.name) }]);
    }),
  );
  withConnection(applications.command('delete').argument('<id>')).action(
    run(async (options, id = '') => {
      await call(options, 'DELETE', `${IAM}/applications/${encodeURIComponent(id)}`);
    }),
  );

  const policies = iam.command('policies').description('policies: rules of permission sets, attached to a user, group or application');
  withConnection(policies.command('list')).action(
    run(async (options) => {
      const listed = await call(options, 'GET', `${IAM}/policies`);
      const rows = ((listed?.policies ?? []) as Json[]).map((policy) => ({ id: text(policy.id), name: text(policy.name), principal: principalOf(policy), rules: text(policy.nb_rules) }));
      printRows(options.output, listed, rows);
    }),
  );
  withConnection(
    policies
      .command('create')
      .requiredOption('--name <name>')
      .option('--application <id>', 'attach to this application')
      .option('--user <id>', 'attach to this user')
      .option('--group <id>', 'attach to this group')
      .requiredOption('--permission-set <name>', 'a permission set (repeatable)', collect)
      .option('--project <id>', 'limit to this project (repeatable); the organization otherwise', collect)
      .option('--condition <expr>', 'e.g. secret.path matches "/prod/*"'),
  ).action(
    run(async (options) => {
      const input = options as CommonOptions & { name: string; application?: string; user?: string; group?: string; permissionSet: string[]; project?: string[]; condition?: string };
      const me = await call(options, 'GET', '/coffer/v1/whoami');
      const rule = {
        permission_set_names: input.permissionSet,
        ...(input.project ? { project_ids: input.project } : { organization_id: me?.organization_id }),
        ...(input.condition ? { condition: input.condition } : {}),
      };
      const principal = {
        ...(input.application ? { application_id: input.application } : {}),
        ...(input.user ? { user_id: input.user } : {}),
        ...(input.group ? { group_id: input.group } : {}),
      };
      const created = await call(options, 'POST', `${IAM}/policies`, { name: input.name, ...principal, rules: [rule] });
      printRows(options.output, created, [{ id: text(created?.id), name: text(created?.name), principal: principalOf(created) }]);
    }),
  );
  withConnection(policies.command('delete').argument('<id>')).action(
    run(async (options, id = '') => {
      await call(options, 'DELETE', `${IAM}/policies/${encodeURIComponent(id)}`);
    }),
  );

  const keys = iam.command('api-keys').description('API keys of applications and users; the secret key is shown once');
  withConnection(keys.command('list')).action(
    run(async (options) => {
      const listed = await call(options, 'GET', `${IAM}/api-keys`);
      const rows = ((listed?.api_keys ?? []) as Json[]).map((key) => ({
        access_key: text(key.access_key),
        owner: key.user_id ? `user ${text(key.user_id)}` : `application ${text(key.application_id)}`,
        expires_at: text(key.expires_at),
        description: text(key.description),
      }));
      printRows(options.output, listed, rows);
    }),
  );
  withConnection(keys.command('create').option('--application <id>').option('--user <id>').option('--description <text>', '', '').option('--expires-at <rfc3339>')).action(
    run(async (options) => {
      const input = options as CommonOptions & { application?: string; user?: string; description: string; expiresAt?: string };
      const created = await call(options, 'POST', `${IAM}/api-keys`, {
        ...(input.user ? { user_id: input.user } : { application_id: input.application }),
        description: input.description,
        ...(input.expiresAt ? { expires_at: input.expiresAt } : {}),
      });
      printRows(options.output, created, [{ access_key: text(created?.access_key), secret_key: text(created?.secret_key) }]);
    }),
  );
  withConnection(keys.command('delete').argument('<access-key>')).action(
    run(async (options, accessKey = '') => {
      await call(options, 'DELETE', `${IAM}/api-keys/${encodeURIComponent(accessKey)}`);
    }),
  );
};
