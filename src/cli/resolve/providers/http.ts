import { ResolutionError } from '../errors.js';

const TIMEOUT_MS = 30_000;

/** One provider request; a network failure or timeout is "unreachable", naming the host, not the token. */
export const send = async (url: string, headers: Record<string, string>, reference: string): Promise<Response> => {
  try {
    return await fetch(url, { headers: { accept: 'application/json', ...headers }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const cause = error instanceof Error ? ((error.cause as { code?: string } | undefined)?.code ?? error.message) : String(error);
    throw new ResolutionError('unreachable', reference, `cannot reach ${new URL(url).origin} (${cause})`);
  }
};

/** The JSON body of a provider answer, or undefined when there is none or it is not JSON. */
export const jsonOf = async (response: Response): Promise<unknown> => {
  try {
    return JSON.parse(await response.text()) as unknown;
  } catch {
    return undefined;
  }
};

export const field = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
