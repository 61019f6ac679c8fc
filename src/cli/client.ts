/** Where the CLI finds the server and its credentials: flags, then Coffer's env, then Scaleway's. */
export interface ClientOptions {
  url?: string | undefined;
  secretKey?: string | undefined;
}

export interface CofferClient {
  baseUrl: string;
  request(method: string, path: string, body?: unknown): Promise<Response>;
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export const createClient = (options: ClientOptions): CofferClient => {
  const baseUrl = (options.url ?? process.env.COFFER_ADDR ?? process.env.SCW_API_URL ?? 'http://127.0.0.1:8200').replace(/\/+$/, '');
  const secretKey = options.secretKey ?? process.env.COFFER_SECRET_KEY ?? process.env.SCW_SECRET_KEY;
  if (!secretKey) {
    throw new CliError('no credentials: set SCW_SECRET_KEY (or COFFER_SECRET_KEY, or --secret-key)', 3);
  }
  return {
    baseUrl,
    async request(method, path, body) {
      try {
        return await fetch(`${baseUrl}${path}`, {
          method,
          headers: { 'x-auth-token': secretKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (error) {
        throw new CliError(`cannot reach ${baseUrl}: ${error instanceof Error ? error.message : String(error)}`, 4);
      }
    },
  };
};

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
  throw new CliError(`server answered ${response.status}: ${message}`, response.status === 401 || response.status === 403 ? 3 : 1);
};
