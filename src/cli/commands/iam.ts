import type { Command } from 'commander';
import { CliError, createClient, failFrom, type ClientOptions } from '../client.js';
import { printRows } from '../output.js';

type Json = Record<string, unknown>;
interface CommonOptions extends ClientOptions {
  output: string;
}

const text = (value: unknown): string => (value === undefined || value === null ? '' : Array.isArray(value) ? value.join(',') : String(value));

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Runs one request, fails with the server's words, and returns its JSON (null for 204). */
const call = async (options: CommonOptions, method: string, path: string, body?: unknown): Promise<Json | null> => {
  const response = await createClient(options).request(method, path, body);
  if (!response.ok) {
    await failFrom(response);
  }
  return response.status === 204 ? null : ((await response.json()) as Json);
};

const withConnection = (command: Command): Command =>
  command
    .option('--url <url>', 'server URL [env COFFER_ADDR or SCW_API_URL]')
    .option('--secret-key <key>', 'API secret key [env COFFER_SECRET_KEY or SCW_SECRET_KEY]')
    .option('--output <format>', 'table or json', 'table');

const run = (work: (options: CommonOptions, ...args: string[]) => Promise<void>) => async (...args: unknown[]) => {
  const command = args.at(-1) as Command;
  const positional = args.slice(0, -2).filter((arg): arg is string => typeof arg === 'string');
  try {
    await work(command.opts<CommonOptions>(), ...positional);
  } catch (error) {
    if (error instanceof CliError) {
      console.error(`coffer: ${error.message}`);
      process.exitCode = error.exitCode;
      return;
    }
    throw error;
  }
};

const IAM = '/iam/v1alpha1';

/** `coffer iam`: applications, policies, API keys and whoami, through the IAM API. */
export const registerIam = (program: Command): void => {
  const iam = program.command('iam').description('manage applications, policies and API keys');

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

  const policies = iam.command('policies').description('policies: rules of permission sets, attached to an application');
  withConnection(policies.command('list')).action(
    run(async (options) => {
      const listed = await call(options, 'GET', `${IAM}/policies`);
      const rows = ((listed?.policies ?? []) as Json[]).map((policy) => ({ id: text(policy.id), name: text(policy.name), application: text(policy.application_id), rules: text(policy.nb_rules) }));
      printRows(options.output, listed, rows);
    }),
  );
  withConnection(
    policies
      .command('create')
      .requiredOption('--name <name>')
      .option('--application <id>', 'attach to this application')
      .requiredOption('--permission-set <name>', 'a permission set (repeatable)', collect)
      .option('--project <id>', 'limit to this project (repeatable); the organization otherwise', collect)
      .option('--condition <expr>', 'e.g. secret.path matches "/prod/*"'),
  ).action(
    run(async (options) => {
      const input = options as CommonOptions & { name: string; application?: string; permissionSet: string[]; project?: string[]; condition?: string };
      const me = await call(options, 'GET', '/coffer/v1/whoami');
      const rule = {
        permission_set_names: input.permissionSet,
        ...(input.project ? { project_ids: input.project } : { organization_id: me?.organization_id }),
        ...(input.condition ? { condition: input.condition } : {}),
      };
      const created = await call(options, 'POST', `${IAM}/policies`, { name: input.name, ...(input.application ? { application_id: input.application } : {}), rules: [rule] });
      printRows(options.output, created, [{ id: text(created?.id), name: text(created?.name), application: text(created?.application_id) }]);
    }),
  );
  withConnection(policies.command('delete').argument('<id>')).action(
    run(async (options, id = '') => {
      await call(options, 'DELETE', `${IAM}/policies/${encodeURIComponent(id)}`);
    }),
  );

  const keys = iam.command('api-keys').description("API keys of applications; the secret key is shown once");
  withConnection(keys.command('list')).action(
    run(async (options) => {
      const listed = await call(options, 'GET', `${IAM}/api-keys`);
      const rows = ((listed?.api_keys ?? []) as Json[]).map((key) => ({ access_key: text(key.access_key), application: text(key.application_id), expires_at: text(key.expires_at), description: text(key.description) }));
      printRows(options.output, listed, rows);
    }),
  );
  withConnection(keys.command('create').requiredOption('--application <id>').option('--description <text>', '', '').option('--expires-at <rfc3339>')).action(
    run(async (options) => {
      const input = options as CommonOptions & { application: string; description: string; expiresAt?: string };
      const created = await call(options, 'POST', `${IAM}/api-keys`, {
        application_id: input.application,
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
