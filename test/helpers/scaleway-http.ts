import type { TestServer } from './server.js';

/** A minimal raw client for the Scaleway wire API, for tests that look at bytes and statuses. */
export const scalewayHttp = (server: Pick<TestServer, 'url' | 'secretKey'>, region = 'fr-par') => {
  const base = `${server.url}/secret-manager/v1beta1/regions/${region}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'x-auth-token': server.secretKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
  };
  return {
    call,
    async createSecret(body: Record<string, unknown>): Promise<string> {
      const created = await call('POST', '/secrets', body);
      if (created.status !== 200 || typeof created.json?.id !== 'string') {
        throw new Error(`create failed: ${created.status} ${created.text}`);
      }
      return created.json.id;
    },
    async addVersion(secretId: string, data: string | Buffer): Promise<number> {
      const added = await call('POST', `/secrets/${secretId}/versions`, { data: Buffer.from(data).toString('base64') });
      if (added.status !== 200 || typeof added.json?.revision !== 'number') {
        throw new Error(`add version failed: ${added.status} ${added.text}`);
      }
      return added.json.revision;
    },
    async access(secretId: string, revision: number | string = 'latest') {
      const read = await call('GET', `/secrets/${secretId}/versions/${revision}/access`);
      return { ...read, data: typeof read.json?.data === 'string' ? Buffer.from(read.json.data, 'base64').toString() : null };
    },
  };
};
