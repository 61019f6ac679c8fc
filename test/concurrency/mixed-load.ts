import { randomBytes } from 'node:crypto';
import type { TestServer } from '../helpers/server.js';
import type { AckedSecret } from '../crash/write-load.js';

type Target = Pick<TestServer, 'url' | 'secretKey' | 'projectId'>;

export interface MixedFigures {
  requests: Record<'write' | 'read' | 'list' | 'iam', number>;
  /** Connection errors from the process that was killed, while it was down: expected. */
  victimConnectionErrors: number;
  /** Anything else that went wrong: connection errors to live processes, 5xx, wrong data. */
  failures: string[];
}

const scaleway = '/secret-manager/v1beta1/regions/fr-par';

/**
 * Clients spread over several processes: they create secrets and versions, read back
 * acknowledged versions (from any process), list by path and create IAM API keys. The
 * process at `victim()` may be down; connection errors to it are counted, not failures.
 */
export const startMixedLoad = (servers: () => readonly (Target | null)[], victim: () => number, clients: number, applicationId: string) => {
  const secrets: AckedSecret[] = [];
  const apiKeys: string[] = [];
  const figures: MixedFigures = { requests: { write: 0, read: 0, list: 0, iam: 0 }, victimConnectionErrors: 0, failures: [] };
  let running = true;

  const call = async (index: number, kind: keyof MixedFigures['requests'], method: string, path: string, body?: unknown) => {
    const server = servers()[index];
    if (!server) {
      return null;
    }
    figures.requests[kind] += 1;
    try {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { 'x-auth-token': server.secretKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (response.status >= 500) {
        figures.failures.push(`process ${index}: ${response.status} ${method} ${path}: ${text}`);
      }
      return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
    } catch (error) {
      if (index === victim()) {
        figures.victimConnectionErrors += 1;
      } else {
        figures.failures.push(`process ${index}: ${method} ${path}: ${String(error)}`);
      }
      return null;
    }
  };

  const step = async (client: number, counter: number): Promise<void> => {
    const index = (client + counter) % servers().length;
    const projectId = servers()[index]?.projectId ?? '';
    const secret = secrets[Math.floor(Math.random() * secrets.length)];
    const roll = Math.random();
    if (secret === undefined || roll < 0.1) {
      const created = await call(index, 'write', 'POST', `${scaleway}/secrets`, { name: `mixed-${client}-${counter}-${randomBytes(3).toString('hex')}`, path: '/load', project_id: projectId });
      if (created?.status === 200 && typeof created.json?.id === 'string') {
        secrets.push({ id: created.json.id, versions: new Map() });
      }
    } else if (roll < 0.4) {
      const payload = `mixed ${client}/${counter} ${randomBytes(9).toString('base64')}`;
      const added = await call(index, 'write', 'POST', `${scaleway}/secrets/${secret.id}/versions`, { data: Buffer.from(payload).toString('base64') });
      if (added?.status === 200 && typeof added.json?.revision === 'number') {
        secret.versions.set(added.json.revision, payload);
      }
    } else if (roll < 0.75) {
      const [revision, payload] = [...secret.versions][Math.floor(Math.random() * secret.versions.size)] ?? [];
      if (revision !== undefined) {
        const read = await call(index, 'read', 'GET', `${scaleway}/secrets/${secret.id}/versions/${revision}/access`);
        const data = typeof read?.json?.data === 'string' ? Buffer.from(read.json.data, 'base64').toString() : null;
        if (read !== null && (read.status !== 200 || data !== payload)) {
          figures.failures.push(`process ${index}: acknowledged ${secret.id}/${revision} read ${read.status}`);
        }
      }
    } else if (roll < 0.95) {
      const listed = await call(index, 'list', 'GET', `${scaleway}/secrets?path=/load&page_size=20&project_id=${projectId}`);
      if (listed !== null && listed.status !== 200) {
        figures.failures.push(`process ${index}: list answered ${listed.status}`);
      }
    } else {
      const key = await call(index, 'iam', 'POST', '/iam/v1alpha1/api-keys', { application_id: applicationId, description: `load ${client}/${counter}` });
      if (key?.status === 200 && typeof key.json?.access_key === 'string') {
        apiKeys.push(key.json.access_key);
      }
    }
  };

  const client = async (index: number): Promise<void> => {
    for (let counter = 0; running; counter += 1) {
      await step(index, counter);
    }
  };
  const done = Promise.all(Array.from({ length: clients }, (_, index) => client(index)));
  return {
    secrets,
    apiKeys,
    figures,
    stop: async () => {
      running = false;
      await done;
    },
  };
};
