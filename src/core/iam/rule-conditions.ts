import { BlockList, isIP } from 'node:net';
import { invalidField } from '../../shared/errors.js';

/** What a rule's condition limits it to; null on either side: no limit of that kind. */
export interface RuleLimits {
  pathPrefixes: string[] | null;
  ipRanges: string[] | null;
}

const PATH_TERM = /^secret\.path\s+matches\s+"(\/[^"*]*\/)\*"$/;
const IP_TERM = /^request\.ip\s+in\s+"([0-9a-fA-F.:]+)\/(\d{1,3})"$/;
const SYNTAX = 'a condition reads secret.path matches "/prefix/*" or request.ip in "10.0.0.0/8", alternatives joined by ||, kinds joined by &&';

const validCidr = (address: string, bits: number): boolean => {
  const family = isIP(address);
  return (family === 4 && bits <= 32) || (family === 6 && bits <= 128);
};

/**
 * Parses `secret.path matches "/prod/*" || secret.path matches "/shared/*" && request.ip in
 * "10.0.0.0/8"`: `||` joins alternatives of one kind, `&&` joins the kinds.
 */
export const parseRuleCondition = (condition: string, field: string): RuleLimits => {
  const limits: RuleLimits = { pathPrefixes: null, ipRanges: null };
  if (condition.trim() === '') {
    return limits;
  }
  for (const group of condition.split('&&')) {
    const terms = group.split('||').map((term) => term.trim());
    const paths = terms.map((term) => PATH_TERM.exec(term)?.[1]);
    const ips = terms.map((term) => IP_TERM.exec(term));
    if (paths.every((path) => path !== undefined) && limits.pathPrefixes === null) {
      limits.pathPrefixes = paths.filter((path): path is string => path !== undefined);
    } else if (ips.every((match) => match !== null) && limits.ipRanges === null) {
      limits.ipRanges = ips.map((match) => {
        const [, address = '', bits = ''] = match ?? [];
        if (!validCidr(address, Number(bits))) {
          throw invalidField(field, 'format', `"${address}/${bits}" is not an IP range`);
        }
        return `${address}/${bits}`;
      });
    } else {
      throw invalidField(field, 'format', SYNTAX);
    }
  }
  return limits;
};

/** The condition text of stored limits, as the API shows it back. */
export const conditionText = (limits: Partial<RuleLimits>): string =>
  [
    (limits.pathPrefixes ?? []).map((prefix) => `secret.path matches "${prefix}*"`).join(' || '),
    (limits.ipRanges ?? []).map((range) => `request.ip in "${range}"`).join(' || '),
  ]
    .filter((part) => part !== '')
    .join(' && ');

export type AddressMatcher = (address: string | null) => boolean;

/** A matcher for client addresses; IPv4 clients seen through IPv6 sockets match IPv4 ranges. */
export const addressMatcher = (ranges: readonly string[]): AddressMatcher => {
  const list = new BlockList();
  for (const range of ranges) {
    const [address = '', bits = '0'] = range.split('/');
    list.addSubnet(address, Number(bits), isIP(address) === 6 ? 'ipv6' : 'ipv4');
  }
  return (raw) => {
    if (raw === null) {
      return false;
    }
    const address = raw.startsWith('::ffff:') && isIP(raw.slice(7)) === 4 ? raw.slice(7) : raw;
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
};
