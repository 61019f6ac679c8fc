import { createHash } from 'node:crypto';

/** The Vault version clients see; KV v2 behaviour follows this generation of Vault. */
export const VAULT_VERSION = '1.15.0+coffer';

/** A UUID-shaped id, stable per seed, so that clients caching accessors see the same ones after a restart. */
export const stableId = (seed: string): string => {
  const hex = createHash('sha256').update(`coffer-vault-mount:${seed}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

/** What sys/mounts says of a KV v2 mount; `options.version` is a string, as the `vault kv` CLI expects. */
export const mountInfo = (mount: string) => ({
  accessor: `kv_${stableId(mount).slice(0, 8)}`,
  config: { default_lease_ttl: 0, force_no_cache: false, max_lease_ttl: 0 },
  description: 'key/value secret storage',
  external_entropy_access: false,
  local: false,
  options: { version: '2' },
  plugin_version: '',
  running_plugin_version: 'v0.0.0+builtin',
  running_sha256: '',
  seal_wrap: false,
  type: 'kv',
  uuid: stableId(mount),
});
