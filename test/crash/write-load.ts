import { randomBytes } from 'node:crypto';

/** Where the load goes now; null while the server is down. Read before every request. */
export interface LoadTarget {
  url: string;
  secretKey: string;
}

export interface AckedSecret {
  id: string;
  /** Every revision the server acknowledged (200) with the payload it was given. */
  versions: Map<number, string>;
}

export interface LoadFigures {
  requests: number;
  acknowledgedSecrets: number;
  acknowledgedVersions: number;
  connectionErrors: number;
  /** 5xx answers, with their bodies: a crash must never make the server answer one. */
  serverErrors: string[];
  /** A revision acknowledged twice with different payloads. */
  duplicateRevisions: string[];
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Clients that create secrets and add versions through the Scaleway API, recording every
 * acknowledged write. Versions go to secrets shared by all clients, so writes contend for
 * the same revision counters. Connection errors (the server was killed) are only counted.
 */
export const startWriteLoad = (target: () => LoadTarget | null, clients: number, region = 'fr-par') => {
  const secrets: AckedSecret[] = [];
  const touched = new Set<AckedSecret>();
  const figures: LoadFigures = { requests: 0, acknowledgedSecrets: 0, acknowledgedVersions: 0, connectionErrors: 0, serverErrors: [], duplicateRevisions: [] };
  let running = true;
  let paused = false;
  let inFlight = 0;

  const post = async (path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> | null } | null> => {
    const current = target();
    if (current === null) {
      return null;
    }
    figures.requests += 1;
    inFlight += 1;
    try {
      const response = await fetch(`${current.url}/secret-manager/v1beta1/regions/${region}${path}`, {
        method: 'POST',
        headers: { 'x-auth-token': current.secretKey, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      if (response.status >= 500) {
        figures.serverErrors.push(`${response.status} ${path}: ${text}`);
      }
      return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
    } catch {
      figures.connectionErrors += 1;
      return null;
    } finally {
      inFlight -= 1;
    }
  };

  const client = async (index: number): Promise<void> => {
    let counter = 0;
    while (running) {
      if (paused || target() === null) {
        await pause(10);
        continue;
      }
      counter += 1;
      const shared = secrets[Math.floor(Math.random() * secrets.length)];
      if (shared === undefined || Math.random() < 0.15) {
        const created = await post('/secrets', { name: `crash-${index}-${counter}-${randomBytes(3).toString('hex')}` });
        if (created?.status === 200 && typeof created.json?.id === 'string') {
          secrets.push({ id: created.json.id, versions: new Map() });
          figures.acknowledgedSecrets += 1;
        }
        continue;
      }
      const payload = `payload ${index}/${counter} ${randomBytes(12).toString('base64')}`;
      const added = await post(`/secrets/${shared.id}/versions`, { data: Buffer.from(payload).toString('base64') });
      if (added?.status === 200 && typeof added.json?.revision === 'number') {
        const revision = added.json.revision;
        if (shared.versions.has(revision)) {
          figures.duplicateRevisions.push(`${shared.id} revision ${revision}`);
        }
        shared.versions.set(revision, payload);
        touched.add(shared);
        figures.acknowledgedVersions += 1;
      }
    }
  };

  const done = Promise.all(Array.from({ length: clients }, (_, index) => client(index)));
  return {
    secrets,
    figures,
    /** Secrets given a version since the last call, then forgotten. */
    takeTouched(): AckedSecret[] {
      const taken = [...touched];
      touched.clear();
      return taken;
    },
    /** Stops sending and waits for the requests in flight to be answered. */
    pause: async () => {
      paused = true;
      while (inFlight > 0) {
        await pause(5);
      }
    },
    resume: () => {
      paused = false;
    },
    stop: async () => {
      running = false;
      await done;
    },
  };
};
