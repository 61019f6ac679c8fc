import { resolveConnection, type ConnectionFlags } from './config/connection.js';
import { CliError, EXIT } from './errors.js';

export { CliError } from './errors.js';

/** Where the CLI finds the server and its credentials: flags, env, then profiles (see config/connection.ts). */
export type ClientOptions = ConnectionFlags;

export interface CofferClient {
  baseUrl: string;
  projectId: string | undefined;
  region: string;
  request(method: string, path: string, body?: unknown): Promise<Response>;
}

export const createClient = (options: ClientOptions): CofferClient => {
  const connection = resolveConnection(options);
  const secretKey = connection.secretKey();
  const baseUrl = connection.apiUrl;
  return {
    baseUrl,
    projectId: connection.projectId,
    region: connection.region,
    async request(method, path, body) {
      try {
        return await fetch(`${baseUrl}${path}`, {
          method,
          headers: { 'x-auth-token': secretKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (error) {
        throw new CliError(`cannot reach ${baseUrl}: ${error instanceof Error ? error.message : String(error)}`, EXIT.unreachable);
      }
    },
  };
};

/** The exit code of an HTTP refusal, shared by admin commands and reference resolvers. */
export const exitCodeOfStatus = (status: number): number =>
  status === 401 || status === 403 ? EXIT.auth : status === 404 ? EXIT.notFound : status === 412 ? EXIT.unreadable : EXIT.failure;

/** Turns an error response into a CliError carrying the server's message. */
export const failFrom = async (response: Response): Promise<never> => {
  const text = await response.text();
  let message = text;
  try {
    const parsed = JSON.parse(text) as { message?: string; help_message?: string; details?: { argument_name?: string; help_message?: string }[] };
    const fields = (parsed.details ?? []).filter((detail) => detail.help_message).map((detail) => `${detail.argument_name ?? 'field'}: ${detail.help_message ?? ''}`);
    message = [parsed.message, parsed.help_message, ...fields].filter(Boolean).join(': ');
  } catch {
    // not JSON: show the text as it came
  }
  throw new CliError(`server answered ${response.status}: ${message}`, exitCodeOfStatus(response.status));
};
