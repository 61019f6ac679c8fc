import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Resolver } from '../../src/cli/resolve/resolver.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { api, writeConfig } from './helpers.js';

/** The in-process cache, against a real server: one request per document, whatever the selectors. */
describe('reference cache', () => {
  let server: TestServer;

  before(async () => {
    server = await startServer();
    await api(server, 'POST', '/v1/secret/data/app', { data: { user: 'u1', password: 'p1' } }, { 'x-vault-token': server.secretKey });
    await api(server, 'POST', '/v1/secret/data/app', { data: { user: 'u2', password: 'p2' } }, { 'x-vault-token': server.secretKey });
    process.env.COFFER_CONFIG = writeConfig({});
    process.env.VAULT_ADDR = server.url;
    process.env.VAULT_TOKEN = server.secretKey;
  });
  after(async () => server.stop());

  it('merges repeated and concurrent references to one document into one fetch', async () => {
    const resolver = new Resolver();
    const values = await Promise.all([
      resolver.resolveText('vault://secret/app#user'),
      resolver.resolveText('vault://secret/app#password'),
      resolver.resolveText('ref+vault://secret/app#/user'),
      resolver.resolveText('vault://secret/app@1#user'),
      resolver.resolveText('vault://secret/app?version=1#password'),
    ]);
    assert.deepEqual(values, ['u2', 'p2', 'u2', 'u1', 'p1']);
    assert.equal(resolver.fetchCount, 2, 'latest and version 1: two documents');
    // a fresh resolver (a new command) fetches again: nothing is kept between runs
    const fresh = new Resolver();
    assert.equal(await fresh.resolveText('vault://secret/app#user'), 'u2');
    assert.equal(fresh.fetchCount, 1);
  });
});
