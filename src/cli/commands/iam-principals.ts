import type { Command } from 'commander';
import { CliError } from '../client.js';
import { printRows } from '../output.js';
import { call, IAM, run, text, withConnection, type CommonOptions, type Json } from './iam-common.js';

/** Reads a password from stdin (piped, or typed without a prompt): a flag would leave it in the shell history and `ps`. */
const passwordFromStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  }
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (password === '') {
    throw new CliError('no password on stdin', 2);
  }
  return password;
};

const userRow = (user: Json | null) => ({ id: text(user?.id), email: text(user?.email), type: text(user?.type), status: text(user?.status) });
const groupRow = (group: Json | null) => ({
  id: text(group?.id),
  name: text(group?.name),
  users: text(group?.user_ids),
  applications: text(group?.application_ids),
  groups: text(group?.group_ids),
});

interface MemberOptions extends CommonOptions {
  user?: string;
  application?: string;
  group?: string;
}

const memberBody = (options: MemberOptions) => ({
  ...(options.user ? { user_ids: [options.user] } : {}),
  ...(options.application ? { application_ids: [options.application] } : {}),
  ...(options.group ? { group_ids: [options.group] } : {}),
});

const withMember = (command: Command): Command =>
  withConnection(command.argument('<group-id>').option('--user <id>').option('--application <id>').option('--group <id>', 'a group inside the group'));

/** `coffer iam users` and `coffer iam groups`. */
export const registerIamPrincipals = (iam: Command): void => {
  const users = iam.command('users').description('people of the organization, who sign in with email and password');
  withConnection(users.command('list')).action(
    run(async (options) => {
      const listed = await call(options, 'GET', `${IAM}/users`);
      printRows(options.output, listed, ((listed?.users ?? []) as Json[]).map(userRow));
    }),
  );
  withConnection(users.command('get').argument('<id>')).action(
    run(async (options, id = '') => {
      const user = await call(options, 'GET', `${IAM}/users/${encodeURIComponent(id)}`);
      printRows(options.output, user, [userRow(user)]);
    }),
  );
  withConnection(users.command('create').requiredOption('--email <address>').option('--password-stdin', 'read the password from stdin')).action(
    run(async (options) => {
      const input = options as CommonOptions & { email: string; passwordStdin?: boolean };
      const member = { email: input.email, ...(input.passwordStdin ? { password: await passwordFromStdin() } : {}) };
      const user = await call(options, 'POST', `${IAM}/users`, { member });
      printRows(options.output, user, [userRow(user)]);
    }),
  );
  withConnection(users.command('set-password').argument('<id>').description('reads the new password from stdin')).action(
    run(async (options, id = '') => {
      const user = await call(options, 'POST', `${IAM}/users/${encodeURIComponent(id)}/update-password`, { password: await passwordFromStdin() });
      printRows(options.output, user, [userRow(user)]);
    }),
  );
  withConnection(users.command('delete').argument('<id>')).action(
    run(async (options, id = '') => {
      await call(options, 'DELETE', `${IAM}/users/${encodeURIComponent(id)}`);
    }),
  );

  const groups = iam.command('groups').description('groups of users, applications and groups; their policies apply to every member');
  withConnection(groups.command('list')).action(
    run(async (options) => {
      const listed = await call(options, 'GET', `${IAM}/groups`);
      printRows(options.output, listed, ((listed?.groups ?? []) as Json[]).map(groupRow));
    }),
  );
  withConnection(groups.command('create').requiredOption('--name <name>').option('--description <text>', '', '')).action(
    run(async (options) => {
      const { name, description } = options as CommonOptions & { name: string; description: string };
      const group = await call(options, 'POST', `${IAM}/groups`, { name, description });
      printRows(options.output, group, [groupRow(group)]);
    }),
  );
  withMember(groups.command('add-member')).action(
    run(async (options, id = '') => {
      const group = await call(options, 'POST', `${IAM}/groups/${encodeURIComponent(id)}/add-members`, memberBody(options as MemberOptions));
      printRows(options.output, group, [groupRow(group)]);
    }),
  );
  withMember(groups.command('remove-member')).action(
    run(async (options, id = '') => {
      const input = options as MemberOptions;
      const member = input.user ? { user_id: input.user } : input.application ? { application_id: input.application } : { group_id: input.group };
      const group = await call(options, 'POST', `${IAM}/groups/${encodeURIComponent(id)}/remove-member`, member);
      printRows(options.output, group, [groupRow(group)]);
    }),
  );
  withConnection(groups.command('delete').argument('<id>')).action(
    run(async (options, id = '') => {
      await call(options, 'DELETE', `${IAM}/groups/${encodeURIComponent(id)}`);
    }),
  );
};
