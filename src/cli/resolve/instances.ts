import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { resolveConnection } from '../config/connection.js';
import { loadConfig } from '../config/load.js';
import type { InstanceConfig } from '../config/schema.js';
import { readSource } from '../config/sources.js';
import type { SecretReference } from '../references/index.js';
import { ResolutionError } from './errors.js';

/** A Scaleway Secret Manager API: Scaleway itself for scw://, a Coffer server for coffer://. */
export interface ScalewayTarget {
  apiUrl: string;
  region: string;
  projectId: string | undefined;
  secretKey(): string;
}
export interface VaultTarget {
  address: string;
  namespace: string | undefined;
  token(): string;
}
export interface AwsTarget {
  region: string | undefined;
  endpoint: string | undefined;
  credentials: (() => { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) | undefined;
}
export interface OvhTarget {
  endpoint: string;
  okmsId: string;
  token(): string;
}

type Typed<T extends InstanceConfig['type']> = Extract<InstanceConfig, { type: T }>;

/** The named instance, else the scheme's default in the config, else none (env defaults apply). */
const findInstance = <T extends InstanceConfig['type']>(scheme: T, reference: SecretReference, text: string): { name: string; config: Typed<T> } | undefined => {
  const config = loadConfig();
  const name = reference.instance ?? config.defaults[scheme];
  if (name === undefined) {
    return undefined;
  }
  const instance = config.instances[name];
  if (!instance) {
    const known = Object.keys(config.instances);
    throw new ResolutionError('config', text, `unknown instance "${name}" (configured: ${known.length ? known.join(', ') : 'none'})`);
  }
  if (instance.type !== scheme) {
    throw new ResolutionError('config', text, `instance "${name}" is a ${instance.type} instance, not ${scheme}`);
  }
  return { name, config: instance as Typed<T> };
};

const source = (value: string, label: string, text: string) => () => {
  try {
    return readSource(value, label);
  } catch (error) {
    throw new ResolutionError('config', text, error instanceof Error ? error.message : String(error));
  }
};

const required = (value: string | undefined, message: string, text: string) => () => {
  if (!value) {
    throw new ResolutionError('config', text, message);
  }
  return value;
};

export const scalewayTarget = (reference: SecretReference, text: string, profile?: string): ScalewayTarget => {
  const region = reference.params.region;
  const project = reference.params.project;
  if (reference.scheme === 'coffer') {
    // coffer:// is this server: its instance is a CLI profile.
    const connection = resolveConnection({ profile: reference.instance ?? profile, region, project });
    return { apiUrl: connection.apiUrl, region: connection.region, projectId: connection.projectId, secretKey: () => connection.secretKey() };
  }
  const named = findInstance('scw', reference, text);
  const env = process.env;
  if (named) {
    const { config, name } = named;
    return {
      apiUrl: (config.api_url ?? 'https://api.scaleway.com').replace(/\/+$/, ''),
      region: region ?? config.region ?? 'fr-par',
      projectId: project ?? config.project_id,
      secretKey: source(config.secret_key, `instance ${name} secret_key`, text),
    };
  }
  return {
    apiUrl: (env.SCW_API_URL || 'https://api.scaleway.com').replace(/\/+$/, ''),
    region: region ?? (env.SCW_DEFAULT_REGION || 'fr-par'),
    projectId: project ?? (env.SCW_DEFAULT_PROJECT_ID || undefined),
    secretKey: required(env.SCW_SECRET_KEY, 'no credentials: set SCW_SECRET_KEY or name an scw instance', text),
  };
};

/** The Vault CLI keeps its token in ~/.vault-token after `vault login`. */
const vaultTokenFile = (): string | undefined => {
  try {
    return readFileSync(join(homedir(), '.vault-token'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
};

export const vaultTarget = (reference: SecretReference, text: string): VaultTarget => {
  const named = findInstance('vault', reference, text);
  if (named) {
    const { config, name } = named;
    return { address: config.address.replace(/\/+$/, ''), namespace: config.namespace, token: source(config.token, `instance ${name} token`, text) };
  }
  const env = process.env;
  const address = required(env.VAULT_ADDR, 'no Vault address: set VAULT_ADDR or name a vault instance', text)();
  return {
    address: address.replace(/\/+$/, ''),
    namespace: env.VAULT_NAMESPACE || undefined,
    token: () => required(env.VAULT_TOKEN || vaultTokenFile(), 'no Vault token: set VAULT_TOKEN or name a vault instance', text)(),
  };
};

export const awsTarget = (reference: SecretReference, text: string): AwsTarget => {
  const named = findInstance('aws', reference, text);
  const region = reference.params.region ?? named?.config.region;
  if (!named) {
    // The SDK's own chain: AWS_REGION, AWS_ACCESS_KEY_ID, profiles, AWS_ENDPOINT_URL_SECRETS_MANAGER…
    return { region, endpoint: undefined, credentials: undefined };
  }
  const { config, name } = named;
  const { access_key_id: keyId, secret_access_key: secret, session_token: session } = config;
  if ((keyId === undefined) !== (secret === undefined)) {
    throw new ResolutionError('config', text, `instance ${name}: give both access_key_id and secret_access_key, or neither`);
  }
  const credentials =
    keyId && secret
      ? () => ({
          accessKeyId: source(keyId, `instance ${name} access_key_id`, text)(),
          secretAccessKey: source(secret, `instance ${name} secret_access_key`, text)(),
          ...(session ? { sessionToken: source(session, `instance ${name} session_token`, text)() } : {}),
        })
      : undefined;
  return { region, endpoint: config.endpoint, credentials };
};

export const ovhTarget = (reference: SecretReference, text: string): OvhTarget => {
  const named = findInstance('ovh', reference, text);
  if (!named) {
    throw new ResolutionError('config', text, 'ovh:// needs an instance: add one of type "ovh" to the config and name it with ?instance= or defaults.ovh');
  }
  const { config, name } = named;
  return { endpoint: config.endpoint.replace(/\/+$/, ''), okmsId: config.okms_id, token: source(config.token, `instance ${name} token`, text) };
};

