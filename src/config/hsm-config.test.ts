import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

const hsm = { COFFER_HSM_MODULE: '/usr/lib/softhsm/libsofthsm2.so', COFFER_HSM_TOKEN_LABEL: 'coffer', COFFER_HSM_PIN: 'pin-secret-4711' };

describe('HSM settings', () => {
  it('reads the module, token, PIN and key label, with a default label and flags over env', () => {
    const config = loadConfig(hsm, { hsmKeyLabel: 'from-flag' });
    assert.equal(config.hsmModule, hsm.COFFER_HSM_MODULE);
    assert.equal(config.hsmTokenLabel, 'coffer');
    assert.equal(config.hsmKeyLabel, 'from-flag');
    assert.equal(loadConfig(hsm).hsmKeyLabel, 'coffer-root-key');
    assert.equal(loadConfig({ ...hsm, COFFER_HSM_TOKEN_LABEL: '', COFFER_HSM_SLOT: '42' }).hsmSlot, 42);
    assert.equal(loadConfig({}).hsmModule, undefined);
  });

  it('wants exactly one of slot and token label, one of PIN and PIN file, and never prints the PIN', () => {
    const refusals: [Record<string, string>, RegExp][] = [
      [{ ...hsm, COFFER_HSM_SLOT: '1' }, /exactly one of COFFER_HSM_SLOT and COFFER_HSM_TOKEN_LABEL/],
      [{ ...hsm, COFFER_HSM_TOKEN_LABEL: '' }, /exactly one of COFFER_HSM_SLOT and COFFER_HSM_TOKEN_LABEL/],
      [{ ...hsm, COFFER_HSM_PIN_FILE: '/etc/pin' }, /exactly one of COFFER_HSM_PIN and COFFER_HSM_PIN_FILE/],
      [{ ...hsm, COFFER_HSM_PIN: '' }, /exactly one of COFFER_HSM_PIN and COFFER_HSM_PIN_FILE/],
      [{ COFFER_ROOT_KEY_PRIMARY: 'hsm' }, /COFFER_ROOT_KEY_PRIMARY=hsm needs COFFER_HSM_MODULE/],
      [{ ...hsm, COFFER_ROOT_KEY_PRIMARY: 'disk' }, /COFFER_ROOT_KEY_PRIMARY/],
    ];
    for (const [env, message] of refusals) {
      assert.throws(
        () => loadConfig(env),
        (error: unknown) => error instanceof ConfigError && message.test(error.message) && !error.message.includes('pin-secret-4711'),
      );
    }
  });
});
