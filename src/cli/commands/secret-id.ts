import { CliError, EXIT } from '../errors.js';
import type { Session } from './common.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A secret named by id, or by its full path `/folder/name`, looked up in the session's project. */
export const secretIdOf = async (session: Session, value: string): Promise<string> => {
  if (UUID.test(value)) {
    return value;
  }
  if (!value.startsWith('/') || value.endsWith('/')) {
    throw new CliError(`"${value}" is neither a secret id nor a path like /folder/name`, EXIT.usage);
  }
  const slash = value.lastIndexOf('/');
  const query = new URLSearchParams({ name: value.slice(slash + 1), path: value.slice(0, slash) || '/', page_size: '2' });
  if (session.client.projectId) {
    query.set('project_id', session.client.projectId);
  }
  const listed = await session.call<{ secrets: { id: string }[] }>('GET', `${session.base}/secrets?${query.toString()}`);
  const matches = listed?.secrets ?? [];
  const [only] = matches;
  if (!only) {
    throw new CliError(`no secret at ${value}`, EXIT.notFound);
  }
  if (matches.length > 1) {
    throw new CliError(`several secrets at ${value} (one per project): give --project or the id`, EXIT.usage);
  }
  return only.id;
};
