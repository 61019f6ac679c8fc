/** The providers a reference can name. `awssecrets` (vals' name) is read as `aws`. */
export const SCHEMES = ['coffer', 'scw', 'vault', 'aws', 'ovh'] as const;
export type Scheme = (typeof SCHEMES)[number];

/** `#field` picks one top-level key; `#/a/b` is an RFC 6901 JSON Pointer. */
export type Selector = { kind: 'key'; key: string } | { kind: 'pointer'; tokens: string[] };

/**
 * One parsed reference. Segments are percent-decoded one by one, so a `%2F` stays
 * inside its segment; `version` comes from `@v` or `?version=`; `instance` names a
 * provider instance from the config (the scheme's default one when absent).
 */
export interface SecretReference {
  scheme: Scheme;
  segments: string[];
  version?: string | undefined;
  instance?: string | undefined;
  params: Record<string, string>;
  selector?: Selector | undefined;
}

/** Query parameters each scheme accepts besides `version` and `instance`. */
export const SCHEME_PARAMS: Record<Scheme, readonly string[]> = {
  coffer: ['region', 'project', 'by'],
  scw: ['region', 'project', 'by'],
  vault: ['mount'],
  aws: ['region', 'version_id', 'version_stage'],
  ovh: [],
};
