import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../../config/config.js';
import { startServer } from '../../main.js';
import { StartupError } from '../../shared/startup-error.js';
import { CliError, EXIT } from '../errors.js';

/** `coffer serve`: the one command that touches the store directly. */
export const registerServe = (program: Command): void => {
  program
    .command('serve')
    .description('start the Coffer server (SQLite in ./.coffer unless told otherwise)')
    .option('--listen <host:port>', 'address to listen on [env COFFER_LISTEN, default 127.0.0.1:8200]')
    .option('--data-dir <dir>', 'folder for the SQLite store and root key [env COFFER_DATA_DIR, default ./.coffer]')
    .option('--storage <engine>', 'sqlite or postgres [env COFFER_STORAGE, default sqlite]')
    .option('--postgres-url <url>', 'PostgreSQL URL when --storage postgres [env COFFER_POSTGRES_URL]')
    .option('--hsm-module <file>', 'PKCS#11 module holding the root key, see docs/hsm.md [env COFFER_HSM_MODULE]')
    .option('--hsm-slot <id>', 'slot id of the token [env COFFER_HSM_SLOT]')
    .option('--hsm-token-label <label>', 'or the label of the token [env COFFER_HSM_TOKEN_LABEL]')
    .option('--hsm-pin-file <file>', 'file holding the user PIN; or env COFFER_HSM_PIN, never a flag [env COFFER_HSM_PIN_FILE]')
    .option('--hsm-key-label <label>', 'label of the AES-256 root key in the token [env COFFER_HSM_KEY_LABEL, default coffer-root-key]')
    .option('--root-key-primary <file|hsm>', 'which root key wraps new values while both are configured [env COFFER_ROOT_KEY_PRIMARY]')
    .option('--tls-cert <file>', 'PEM certificate chain: serve HTTPS (with --tls-key); SIGHUP reloads it [env COFFER_TLS_CERT]')
    .option('--tls-key <file>', 'PEM private key of --tls-cert [env COFFER_TLS_KEY]')
    .action(async (options: { hsmModule?: string; hsmSlot?: string; hsmTokenLabel?: string; hsmPinFile?: string; hsmKeyLabel?: string; rootKeyPrimary?: string; listen?: string; dataDir?: string; storage?: string; postgresUrl?: string; tlsCert?: string; tlsKey?: string }) => {
      let config;
      try {
        config = loadConfig(process.env, options);
      } catch (error) {
        if (error instanceof ConfigError) {
          console.error(error.message);
          process.exit(2);
        }
        throw error;
      }
      // Signals are handled from the start: one that arrives while the store is still
      // opening waits for start-up to finish, then shuts down cleanly.
      const starting = startServer(config);
      const shutdown = (signal: string) => {
        console.log(`${signal} received: draining requests and closing the store`);
        starting
          .then((server) => server.close())
          .then(
            () => process.exit(0),
            (error: unknown) => {
              console.error('shutdown failed', error);
              process.exit(1);
            },
          );
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
      // SIGHUP (systemctl reload) swaps the TLS certificate; open connections keep theirs.
      process.on('SIGHUP', () => void starting.then((server) => server.reloadTls(), () => false));
      try {
        await starting;
      } catch (error) {
        // One readable line for what the operator can fix (a wrong PIN, a missing token, a root key mismatch, a bad TLS file).
        if (error instanceof StartupError) {
          throw new CliError(error.message, EXIT.config);
        }
        throw error;
      }
    });
};
