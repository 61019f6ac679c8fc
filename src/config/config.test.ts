import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives the documented defaults with an empty environment', () => {
    const config = loadConfig({});
    assert.deepEqual(config.listen, { host: '127.0.0.1', port: 8200 });
    assert.equal(config.storage, 'sqlite');
    assert.match(config.dataDir, /\.coffer$/);
    assert.deepEqual(config.regions, ['fr-par', 'nl-ams', 'pl-waw']);
    assert.equal(config.deletionRetentionSeconds, 7 * 24 * 3600);
  });

  it('lets flags win over the environment', () => {
    const config = loadConfig({ COFFER_LISTEN: '0.0.0.0:9000', COFFER_STORAGE: 'sqlite' }, { listen: '127.0.0.1:9100' });
    assert.deepEqual(config.listen, { host: '127.0.0.1', port: 9100 });
  });

  it('names the variable of every problem', () => {
    assert.throws(
      () => loadConfig({ COFFER_STORAGE: 'postgres', COFFER_ROOT_ACCESS_KEY: 'nope', COFFER_ROOT_SECRET_KEY: 'not-a-uuid' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /COFFER_POSTGRES_URL|postgresUrl/.test(error.message) &&
        error.message.includes('COFFER_ROOT_ACCESS_KEY') &&
        error.message.includes('COFFER_ROOT_SECRET_KEY'),
    );
  });

  it('requires both root credentials or neither', () => {
    assert.throws(() => loadConfig({ COFFER_ROOT_ACCESS_KEY: 'SCWABCDEFGHIJKLMNOPQ' }), ConfigError);
  });
});
