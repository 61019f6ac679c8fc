import type { KvScope } from '../../core/kv/index.js';

/** A Vault mount: `secret` always exists; others come from configuration. */
export interface VaultMount {
  path: string;
  /** null: the caller's default project. */
  projectId: string | null;
  /** null: the server's default region. */
  region: string | null;
}

export interface MountedScope {
  mount: string;
  scope: KvScope;
}

/** `secret` first, then configured mounts; a configured `secret` replaces the default one. */
export const mountTable = (configured: readonly VaultMount[], defaultRegion: string): MountedScope[] => {
  const table = new Map<string, KvScope>([['secret', { projectId: null, region: defaultRegion }]]);
  for (const mount of configured) {
    table.set(mount.path, { projectId: mount.projectId, region: mount.region ?? defaultRegion });
  }
  return [...table].map(([mount, scope]) => ({ mount, scope }));
};

/** The mount a request path falls under (longest prefix wins) and the rest of the path. */
export const findMount = (table: readonly MountedScope[], path: string): { mounted: MountedScope; rest: string } | null => {
  let best: MountedScope | null = null;
  for (const candidate of table) {
    const fits = path === candidate.mount || path.startsWith(`${candidate.mount}/`);
    if (fits && (best === null || candidate.mount.length > best.mount.length)) {
      best = candidate;
    }
  }
  return best ? { mounted: best, rest: path.slice(best.mount.length + 1) } : null;
};
