/**
 * Which wire API a URL belongs to, by its prefix: what the audit trail records and what
 * the request metrics label. OVHcloud's Vault-compatible routes are told apart from its
 * REST ones, because each answers errors in its own shape.
 */
export const wireApiOf = (url: string): string => {
  if (url.startsWith('/secret-manager/')) {
    return 'scaleway';
  }
  if (url.startsWith('/v1/')) {
    return 'vault';
  }
  const ovh = /^\/api\/[^/]+\/(v1|v2)\//.exec(url);
  if (ovh) {
    return ovh[1] === 'v1' ? 'ovh-vault' : 'ovh';
  }
  return /^\/([a-z-]+)\//.exec(url)?.[1] ?? 'other';
};
