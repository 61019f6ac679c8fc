import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../../config/config.js';
import { createHsmKey } from '../../hsm/index.js';
import { hsmSettingsOf } from '../../root-key-setup.js';
import { StartupError } from '../../shared/startup-error.js';
import { CliError, EXIT } from '../errors.js';

interface HsmFlags {
  hsmModule?: string;
  hsmSlot?: string;
  hsmTokenLabel?: string;
  hsmPinFile?: string;
  hsmKeyLabel?: string;
}

/**
 * `coffer hsm init-key`: creates the root key inside the token, with the settings `serve`
 * reads (flags or COFFER_HSM_*). Like `serve`, it talks to the device, not to a server.
 */
export const registerHsm = (program: Command): void => {
  const hsm = program.command('hsm').description('the root key in an HSM through PKCS#11 (see docs/hsm.md)');
  hsm
    .command('init-key')
    .description('create the AES-256 root key in the token (sensitive, not extractable); refuses if the label is taken')
    .option('--hsm-module <file>', 'PKCS#11 module [env COFFER_HSM_MODULE]')
    .option('--hsm-slot <id>', 'slot id of the token [env COFFER_HSM_SLOT]')
    .option('--hsm-token-label <label>', 'or the label of the token [env COFFER_HSM_TOKEN_LABEL]')
    .option('--hsm-pin-file <file>', 'file holding the user PIN; or env COFFER_HSM_PIN [env COFFER_HSM_PIN_FILE]')
    .option('--hsm-key-label <label>', 'label of the key to create [env COFFER_HSM_KEY_LABEL, default coffer-root-key]')
    .action(async (flags: HsmFlags) => {
      try {
        const config = loadConfig(process.env, flags);
        if (!config.hsmModule) {
          throw new CliError('give the PKCS#11 module with --hsm-module or COFFER_HSM_MODULE', EXIT.usage);
        }
        console.log(await createHsmKey(hsmSettingsOf(config)));
      } catch (error) {
        if (error instanceof ConfigError || error instanceof StartupError) {
          throw new CliError(error.message, EXIT.config);
        }
        throw error;
      }
    });
};
