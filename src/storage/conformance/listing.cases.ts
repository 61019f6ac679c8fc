import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import type { Secret, SecretFilter, SecretOrder } from '../../core/secrets/index.js';
import { buildSecret, everything, filterFor, REGION, type StorageRef } from './fixtures.js';

/** Inserts secrets in a fresh organization and returns a lister scoped to it. */
const seed = async (storage: StorageRef, specs: Partial<Secret>[]) => {
  const organizationId = randomUUID();
  const projectId = randomUUID();
  const secrets = specs.map((spec) => buildSecret({ organizationId, projectId, ...spec }));
  for (const secret of secrets) {
    await storage().secrets.insertSecret(secret);
  }
  const names = async (filter: Partial<SecretFilter> = {}, order: SecretOrder = 'name_asc') => {
    const listed = await storage().secrets.listSecrets(filterFor(organizationId, filter), order, everything);
    assert.equal(listed.totalCount, listed.items.length);
    return listed.items.map((secret) => secret.name);
  };
  return { organizationId, projectId, secrets, names };
};

export const listingCases = (storage: StorageRef): void => {
  it('orders names by code point on every engine, and ties by id', async () => {
    const { names } = await seed(storage, [{ name: 'b' }, { name: 'B' }, { name: 'a' }, { name: 'é' }, { name: 'Z' }, { name: '_' }, { name: '1' }]);
    assert.deepEqual(await names(), ['1', 'B', 'Z', '_', 'a', 'b', 'é']);
    assert.deepEqual(await names({}, 'name_desc'), ['é', 'b', 'a', '_', 'Z', 'B', '1']);
  });

  it('orders by creation and update times, ties broken by id', async () => {
    const { names, secrets } = await seed(storage, [
      { name: 'x', createdAt: 3, updatedAt: 10 },
      { name: 'y', createdAt: 1, updatedAt: 30 },
      { name: 'z', createdAt: 2, updatedAt: 20 },
      { name: 'w', createdAt: 2, updatedAt: 20 },
    ]);
    const tied = secrets
      .filter((secret) => secret.createdAt === 2)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((secret) => secret.name);
    assert.deepEqual(await names({}, 'created_at_asc'), ['y', ...tied, 'x']);
    assert.deepEqual(await names({}, 'created_at_desc'), ['x', ...[...tied].reverse(), 'y']);
    assert.deepEqual(await names({}, 'updated_at_asc'), ['x', ...tied, 'y']);
    assert.deepEqual(await names({}, 'updated_at_desc'), ['y', ...[...tied].reverse(), 'x']);
  });

  it('pages without overlap or gap, with the exact total on every page', async () => {
    const { organizationId } = await seed(storage, ['e', 'a', 'd', 'b', 'c'].map((name) => ({ name })));
    const page = (pageNumber: number) => storage().secrets.listSecrets(filterFor(organizationId), 'name_asc', { page: pageNumber, pageSize: 2 });
    const pages = await Promise.all([1, 2, 3, 4].map(page));
    assert.deepEqual(pages.map((listed) => listed.items.map((secret) => secret.name)), [['a', 'b'], ['c', 'd'], ['e'], []]);
    assert.deepEqual(pages.map((listed) => listed.totalCount), [5, 5, 5, 5]);
  });

  it('filters by project, name, path, type, ephemerality, deletion and region', async () => {
    const policy = { timeToLiveSeconds: 60, expiresOnceAccessed: null, action: 'delete' as const };
    const { names, projectId, organizationId } = await seed(storage, [
      { name: 'plain' },
      { name: 'typed', type: 'key_value', path: '/p' },
      { name: 'brief', ephemeralPolicy: policy, path: '/p' },
      { name: 'gone', deletionRequestedAt: 5 },
    ]);
    await storage().secrets.insertSecret(buildSecret({ organizationId, name: 'elsewhere' }));
    await storage().secrets.insertSecret(buildSecret({ organizationId, name: 'abroad', region: 'nl-ams', projectId }));
    assert.deepEqual(await names(), ['brief', 'elsewhere', 'gone', 'plain', 'typed']);
    assert.deepEqual(await names({ projectId }), ['brief', 'gone', 'plain', 'typed']);
    assert.deepEqual(await names({ name: 'typed' }), ['typed']);
    assert.deepEqual(await names({ path: '/p' }), ['brief', 'typed']);
    assert.deepEqual(await names({ type: 'key_value' }), ['typed']);
    assert.deepEqual(await names({ ephemeral: true }), ['brief']);
    assert.deepEqual(await names({ ephemeral: false, projectId }), ['gone', 'plain', 'typed']);
    assert.deepEqual(await names({ scheduledForDeletion: true }), ['gone']);
    assert.deepEqual(await names({ scheduledForDeletion: false, projectId }), ['brief', 'plain', 'typed']);
    assert.deepEqual(await names({ region: 'nl-ams' }), ['abroad']);
    assert.deepEqual(await names({ organizationId: randomUUID() }), []);
  });

  it('matches secrets carrying every tag asked for', async () => {
    const { names } = await seed(storage, [
      { name: 'xy', tags: ['x', 'y'] },
      { name: 'x', tags: ['x'] },
      { name: 'yz', tags: ['y', 'z'] },
      { name: 'none' },
      { name: 'pct', tags: ['%', 'x_'] },
    ]);
    assert.deepEqual(await names({ tags: ['x'] }), ['x', 'xy']);
    assert.deepEqual(await names({ tags: ['x', 'y'] }), ['xy']);
    assert.deepEqual(await names({ tags: ['y', 'x', 'y'] }), ['xy']);
    assert.deepEqual(await names({ tags: ['x', 'z'] }), []);
    assert.deepEqual(await names({ tags: ['%'] }), ['pct']);
    assert.deepEqual(await names({ tags: ['X'] }), []);
  });

  it('lists a folder and everything under it, taking LIKE wildcards literally', async () => {
    const { names } = await seed(storage, [
      { name: 'root', path: '/' },
      { name: 'a', path: '/a' },
      { name: 'ab', path: '/a/b' },
      { name: 'abc', path: '/a/b/c' },
      { name: 'sibling', path: '/ab' },
      { name: 'under', path: '/a_b' },
      { name: 'percent', path: '/a%' },
    ]);
    assert.deepEqual(await names({ pathPrefix: '/' }), ['a', 'ab', 'abc', 'percent', 'root', 'sibling', 'under']);
    assert.deepEqual(await names({ pathPrefix: '/a' }), ['a', 'ab', 'abc']);
    assert.deepEqual(await names({ pathPrefix: '/a/b' }), ['ab', 'abc']);
    assert.deepEqual(await names({ pathPrefix: '/a_b' }), ['under']);
    assert.deepEqual(await names({ pathPrefix: '/a%' }), ['percent']);
    assert.deepEqual(await names({ pathPrefix: '/a/b/c/d' }), []);
    assert.deepEqual(await names({ pathPrefixes: ['/a/'] }), ['a', 'ab', 'abc'], 'full paths: /a/a, /a/b/ab, /a/b/c/abc');
    assert.deepEqual(await names({ pathPrefixes: ['/a_b/', '/a%/'] }), ['percent', 'under']);
    assert.deepEqual(await names({ pathPrefixes: ['/roo'] }), ['root']);
    assert.deepEqual(await names({ pathPrefixes: [] }), []);
  });

  it('returns every match unpaged from listAllSecrets', async () => {
    const { organizationId } = await seed(storage, Array.from({ length: 120 }, (_, index) => ({ name: `s${String(index).padStart(3, '0')}`, path: index % 2 === 0 ? '/even' : '/odd' })));
    const all = await storage().secrets.listAllSecrets(filterFor(organizationId));
    assert.equal(all.length, 120);
    assert.equal((await storage().secrets.listAllSecrets(filterFor(organizationId, { pathPrefix: '/even' }))).length, 60);
  });

  it('lists distinct tags and types of live secrets, sorted and paged with an exact total', async () => {
    const { organizationId, projectId } = await seed(storage, [
      { tags: ['beta', 'alpha'], type: 'opaque' },
      { tags: ['alpha', 'Gamma'], type: 'ssh_key' },
      { tags: ['hidden'], type: 'certificate', deletionRequestedAt: 1 },
    ]);
    await storage().secrets.insertSecret(buildSecret({ organizationId, tags: ['other'], type: 'key_value' }));
    const tags = (project: string | null, page = everything) => storage().secrets.listTags(REGION, organizationId, project, page);
    assert.deepEqual(await tags(projectId), { items: ['Gamma', 'alpha', 'beta'], totalCount: 3 });
    assert.deepEqual(await tags(null), { items: ['Gamma', 'alpha', 'beta', 'other'], totalCount: 4 });
    assert.deepEqual(await tags(null, { page: 2, pageSize: 3 }), { items: ['other'], totalCount: 4 });
    assert.deepEqual(await tags(null, { page: 3, pageSize: 3 }), { items: [], totalCount: 4 });
    const types = (project: string | null) => storage().secrets.listTypes(REGION, organizationId, project, everything);
    assert.deepEqual(await types(projectId), { items: ['opaque', 'ssh_key'], totalCount: 2 });
    assert.deepEqual(await types(null), { items: ['key_value', 'opaque', 'ssh_key'], totalCount: 3 });
    assert.deepEqual(await storage().secrets.listTypes('nl-ams', organizationId, null, everything), { items: [], totalCount: 0 });
  });
};
