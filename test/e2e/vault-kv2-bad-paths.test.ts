import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { assertEnvelope, assertVaultError, dataOf, vaultHttp, type VaultAnswer, type VaultHttp } from '../helpers/vault-http.js';

/**
 * Paths that would escape or alias a key if they were normalized: each is refused with a
 * 4xx in Vault's shape and writes nothing, neither where it points nor where a
 * normalizing server would have put it. The client sends them byte for byte.
 */
describe('Vault KV v2: path traversal and malformed paths', () => {
  let server: TestServer;
  let vault: VaultHttp;
  before(async () => {
    server = await startServer();
    vault = vaultHttp(server);
  });
  after(async () => server.stop());

  const assertClientError = (answer: VaultAnswer, what: string): void => {
    assert.ok(answer.status >= 400 && answer.status < 500, `${what}: ${answer.status} ${answer.text}`);
    assert.equal(answer.contentType, 'application/json', what);
    const errors = answer.json?.errors;
    const isInvalidPath = answer.status === 404 && answer.json?.data === null && Array.isArray(answer.json.warnings);
    assert.ok(Array.isArray(errors) || isInvalidPath, `${what}: not in Vault's shape: ${answer.text}`);
  };
  /** Every key of the mount, recursively: nothing a refused path wrote can hide from it. */
  const allKeys = async (folder = ''): Promise<string[]> => {
    const listed = await vault.list(`secret/metadata/${folder}`);
    if (listed.status === 404) {
      return [];
    }
    const names = assertEnvelope(listed).keys as string[];
    const nested = await Promise.all(names.map(async (name) => (name.endsWith('/') ? allKeys(`${folder}${name}`) : [`${folder}${name}`])));
    return nested.flat();
  };

  const tag = randomUUID().slice(0, 8);
  const traversals = [
    `data/t${tag}/../x${tag}`,
    `data/a${tag}/../../b${tag}`,
    `data/../x${tag}`,
    `data/../../sys/x${tag}`,
    `data/.`,
    `data/..`,
    `data/c${tag}/.`,
    `data/./d${tag}`,
    `data/e${tag}%2Ff${tag}`,
    `data/e${tag}%2ff${tag}`,
    `data/g${tag}//h${tag}`,
    `data//i${tag}`,
    `data/j${tag}/%2e%2e/k${tag}`,
    `data/j${tag}/%2E/k${tag}`,
    `data/%2e%2e/l${tag}`,
    `data/m${tag}%5Cn${tag}`,
    `data/o${tag}%00`,
  ];

  it('refuses writes through traversing, encoded-slash, empty or dot segments, and writes nothing', async () => {
    for (const path of traversals) {
      assertClientError(await vault.post(`secret/${path}`, { data: { a: 1 } }), `POST ${path}`);
      assertClientError(await vault.put(`secret/${path.replace('data/', 'metadata/')}`, { max_versions: 2 }), `PUT metadata of ${path}`);
      assertClientError(await vault.patch(`secret/${path}`, { data: { a: 1 } }), `PATCH ${path}`);
    }
    const written = (await allKeys()).filter((key) => key.includes(tag));
    assert.deepEqual(written, [], 'nothing was written');
  });

  it('refuses reads, deletes and destroys through the same paths', async () => {
    const victim = `victim${tag}`;
    assert.equal(assertEnvelope(await vault.post(`secret/data/${victim}`, { data: { a: 1 } })).version, 1);
    for (const path of [`data/x/../${victim}`, `data/./${victim}`, `data//${victim}`, `data/x%2F..%2F${victim}`]) {
      assertClientError(await vault.get(`secret/${path}`), `GET ${path}`);
      assertClientError(await vault.delete(`secret/${path}`), `DELETE ${path}`);
      assertClientError(await vault.post(`secret/${path.replace('data/', 'destroy/')}`, { versions: [1] }), `destroy ${path}`);
      assertClientError(await vault.delete(`secret/${path.replace('data/', 'metadata/')}`), `DELETE metadata ${path}`);
    }
    const metadata = dataOf(await vault.get(`secret/metadata/${victim}`));
    assert.equal(metadata.current_version, 1);
    assert.deepEqual(dataOf(await vault.get(`secret/data/${victim}`)).data, { a: 1 }, 'the key behind the traversal is intact');
  });

  it('never reads the mount config or sys endpoints through a traversing key', async () => {
    for (const path of ['secret/data/../config', 'secret/metadata/../config', 'secret/data/x/../../config', 'secret/data/..%2Fconfig']) {
      const answer = await vault.get(path);
      assertClientError(answer, path);
      assert.ok(!answer.text.includes('max_versions'), `${path} leaked the config: ${answer.text}`);
    }
  });

  it('refuses unknown mounts with 404 no handler, and writes nothing', async () => {
    assertVaultError(await vault.post(`unknown${tag}/data/x`, { data: { a: 1 } }), 404, [`no handler for route "unknown${tag}/data/x". route entry not found.`]);
    assertVaultError(await vault.post(`secret${tag}/data/x`, { data: { a: 1 } }), 404);
    assert.deepEqual((await allKeys()).filter((key) => key.includes(tag) && !key.startsWith('victim')), []);
  });
});
