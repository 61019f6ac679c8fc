import { CliError, EXIT } from '../errors.js';
import { loadConfig } from './load.js';
import type { Profile } from './schema.js';
import { readSource } from './sources.js';

/** What the admin commands and coffer:// references use to reach a Coffer server. */
export interface ConnectionFlags {
  url?: string | undefined;
  secretKey?: string | undefined;
  profile?: string | undefined;
  project?: string | undefined;
  region?: string | undefined;
}

export interface Connection {
  apiUrl: string;
  profile: string | undefined;
  projectId: string | undefined;
  region: string;
  accessKey: string | undefined;
  /** Where the secret key will be read from, for `coffer config show`; never the key. */
  secretKeyOrigin: string;
  /** Read only when a request is made, so `cmd:` sources run once and only when needed. */
  secretKey(): string;
}

const DEFAULT_URL = 'http://127.0.0.1:8200';
const DEFAULT_REGION = 'fr-par';

const pickProfile = (name: string | undefined): { name: string | undefined; profile: Profile; explicit: boolean } => {
  const config = loadConfig();
  const explicit = name ?? process.env.COFFER_PROFILE;
  const chosen = explicit ?? config.active_profile ?? (config.profiles.default ? 'default' : undefined);
  if (chosen === undefined) {
    return { name: undefined, profile: {}, explicit: false };
  }
  const profile = config.profiles[chosen];
  if (!profile) {
    const known = Object.keys(config.profiles);
    throw new CliError(`unknown profile "${chosen}" (known: ${known.length ? known.join(', ') : 'none'})`, EXIT.config);
  }
  return { name: chosen, profile, explicit: explicit !== undefined };
};

const firstOf = (...values: (string | undefined)[]): string | undefined => values.find((value) => value !== undefined && value !== '');

/**
 * Precedence: flags, then Coffer's env (`COFFER_*`), then a profile chosen with
 * `--profile`/`COFFER_PROFILE`, then Scaleway's env (`SCW_*`), then the file's active
 * profile, then defaults. Scaleway's variables are often set for Scaleway itself, so
 * a profile the user named outranks them.
 */
export const resolveConnection = (flags: ConnectionFlags = {}): Connection => {
  const env = process.env;
  const { name, profile, explicit } = pickProfile(flags.profile);
  const chosen = (value: string | undefined) => (explicit ? value : undefined);
  const fallback = (value: string | undefined) => (explicit ? undefined : value);
  const apiUrl = firstOf(flags.url, env.COFFER_ADDR, chosen(profile.api_url), env.SCW_API_URL, fallback(profile.api_url)) ?? DEFAULT_URL;
  const flagOrEnvKey = firstOf(flags.secretKey, env.COFFER_SECRET_KEY);
  const profileKey = profile.secret_key;
  const profileOrigin = `profile ${name ?? ''} (${profileKey?.slice(0, profileKey.indexOf(':')) ?? ''} source)`;
  const secretKeyOrigin = flags.secretKey
    ? '--secret-key'
    : env.COFFER_SECRET_KEY
      ? 'COFFER_SECRET_KEY'
      : explicit && profileKey
        ? profileOrigin
        : env.SCW_SECRET_KEY
          ? 'SCW_SECRET_KEY'
          : profileKey
            ? profileOrigin
            : 'none';
  return {
    accessKey: firstOf(env.COFFER_ACCESS_KEY, chosen(profile.access_key), env.SCW_ACCESS_KEY, fallback(profile.access_key)),
    secretKeyOrigin,
    apiUrl: apiUrl.replace(/\/+$/, ''),
    profile: name,
    projectId: firstOf(flags.project, env.COFFER_PROJECT_ID, chosen(profile.project_id), env.SCW_DEFAULT_PROJECT_ID, fallback(profile.project_id)),
    region: firstOf(flags.region, env.COFFER_REGION, chosen(profile.region), env.SCW_DEFAULT_REGION, fallback(profile.region)) ?? DEFAULT_REGION,
    secretKey: () => {
      if (flagOrEnvKey) {
        return flagOrEnvKey;
      }
      if (explicit && profileKey) {
        return readSource(profileKey, `profile ${name ?? ''} secret_key`);
      }
      if (env.SCW_SECRET_KEY) {
        return env.SCW_SECRET_KEY;
      }
      if (profileKey) {
        return readSource(profileKey, `profile ${name ?? ''} secret_key`);
      }
      throw new CliError('no credentials: set COFFER_SECRET_KEY or SCW_SECRET_KEY, pass --secret-key, or add a profile with secret_key', EXIT.auth);
    },
  };
};
