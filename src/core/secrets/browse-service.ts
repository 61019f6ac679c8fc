import type { PageRequest } from '../../shared/paging.js';
import { pageOffset } from '../../shared/paging.js';
import type { Actor } from '../iam/index.js';
import type { SecretType, Secret, SecretOrder } from './secret-model.js';
import { normalizePath } from './secret-rules.js';
import type { SecretService } from './secret-service.js';

export type BrowseItem =
  | { kind: 'secret'; name: string; createdAt: number; updatedAt: number; secret: Secret }
  | { kind: 'folder'; name: string; createdAt: number; updatedAt: number };

export interface BrowseInput {
  projectId: string | null;
  prefix: string | null;
  tags: string[];
  type: SecretType | null;
  order: SecretOrder;
}

const compareItems = (order: SecretOrder) => (a: BrowseItem, b: BrowseItem): number => {
  const [field, direction] = order.startsWith('name')
    ? (['name', order.endsWith('desc') ? -1 : 1] as const)
    : ([order.startsWith('created') ? 'createdAt' : 'updatedAt', order.endsWith('desc') ? -1 : 1] as const);
  const left = a[field];
  const right = b[field];
  const result = left < right ? -1 : left > right ? 1 : 0;
  return result === 0 ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : result * direction;
};

/**
 * Folders exist only as paths. Browsing `prefix` shows the secrets stored exactly at
 * it, and one folder per child segment that holds a secret at any depth.
 */
export const createBrowseService = ({ secrets }: { secrets: Pick<SecretService, 'listAll'> }) => ({
  async browse(actor: Actor, region: string, input: BrowseInput, page: PageRequest) {
    const prefix = normalizePath(input.prefix, 'prefix');
    const all = await secrets.listAll(actor, region, {
      projectId: input.projectId,
      pathPrefix: prefix,
      tags: input.tags,
      type: input.type,
    });
    const folders = new Map<string, { createdAt: number; updatedAt: number }>();
    const items: BrowseItem[] = [];
    const base = prefix === '/' ? '/' : `${prefix}/`;
    for (const secret of all) {
      if (secret.path === prefix) {
        items.push({ kind: 'secret', name: secret.name, createdAt: secret.createdAt, updatedAt: secret.updatedAt, secret });
        continue;
      }
      const child = secret.path.slice(base.length).split('/')[0] ?? '';
      const folder = folders.get(child);
      folders.set(child, {
        createdAt: Math.min(folder?.createdAt ?? secret.createdAt, secret.createdAt),
        updatedAt: Math.max(folder?.updatedAt ?? secret.updatedAt, secret.updatedAt),
      });
    }
    for (const [name, times] of folders) {
      items.push({ kind: 'folder', name, ...times });
    }
    items.sort(compareItems(input.order));
    const start = pageOffset(page);
    return { items: items.slice(start, start + page.pageSize), currentPath: prefix, totalCount: items.length };
  },
});

export type BrowseService = ReturnType<typeof createBrowseService>;
