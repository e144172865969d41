import { lookup } from 'node:dns';
import { promisify } from 'node:util';
import ipaddr from 'ipaddr.js';

const lookupAll = promisify(lookup);

/**
 * Whether an address is a public unicast one. Loopback, private, link-local, CGNAT, unique
 * local, multicast, reserved, unspecified and the IPv6 forms that carry an IPv4 address
 * (mapped, 6to4, Teredo, NAT64) are not: a webhook must not reach into the service's network.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range() === 'unicast';
}

export interface UrlPolicy {
  /** Development and tests: http, and any address. */
  allowInsecure: boolean;
}

/** The URL's host without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** What is wrong with a webhook URL's form (empty when nothing). */
export function urlFormProblems(text: string, policy: UrlPolicy): string[] {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return ['is not an absolute URL'];
  }
  const problems: string[] = [];
  const schemes = policy.allowInsecure ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol))
    problems.push(`must be ${policy.allowInsecure ? 'http or https' : 'https'}`);
  if (url.username !== '' || url.password !== '') problems.push('must not carry credentials');
  if (url.hash !== '') problems.push('must not have a fragment');
  return problems;
}

/**
 * The host's addresses, refused unless every one is public (or the policy allows any). Checked
 * when a subscription is written and again before each delivery connects (see
 * `guardedLookup`), so a name that later resolves to an inner address is refused then.
 */
export async function resolvePublic(host: string, policy: UrlPolicy): Promise<string | null> {
  if (policy.allowInsecure) return null;
  let addresses: string[];
  try {
    addresses = ipaddr.isValid(host)
      ? [host]
      : (await lookupAll(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    return `its host ${host} does not resolve`;
  }
  const inner = addresses.filter((a) => !isPublicAddress(a));
  return inner.length === 0
    ? null
    : `its host ${host} resolves to a non-public address (${inner.join(', ')})`;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | { address: string; family: number }[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request that resolves the host and refuses the connection unless every
 * address is public: the check and the connection use the same answer (no DNS rebinding).
 */
export function guardedLookup(policy: UrlPolicy) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback) => {
    lookup(hostname, { ...options, all: true, verbatim: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const inner = addresses.filter((a) => !isPublicAddress(a.address));
      if (!policy.allowInsecure && inner.length > 0) {
        const refused = new Error(
          `${hostname} resolves to a non-public address (${inner.map((a) => a.address).join(', ')})`,
        ) as NodeJS.ErrnoException;
        refused.code = 'EADDRNOTPUBLIC';
        return callback(refused, []);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new Error(`${hostname} has no address`), []);
      return callback(null, first.address, first.family);
    });
  };
}
