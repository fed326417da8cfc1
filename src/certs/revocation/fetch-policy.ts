// What the exporter may fetch for revocation data: the URL's scheme and the allow-list, then the
// address it resolves to. The URLs come from certificates servers send, so this is the line
// between "read the CA's CRL" and "request any host the exporter can reach" (docs/security.md).
// Pure.
import { BlockList, isIP } from 'node:net';
import { pathGlob } from '../../config/globs.js';

/** Addresses that are not the public Internet: loopback, private, link-local (cloud metadata), … */
const NON_PUBLIC = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NON_PUBLIC.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b:1::', 48],
] as const)
  NON_PUBLIC.addSubnet(net, bits, 'ipv6');

/** An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is judged as the IPv4 address it carries. */
export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return !NON_PUBLIC.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 0) return false;
  return !NON_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export interface FetchPolicy {
  readonly allowedUrls: readonly RegExp[];
  readonly allowPrivateAddresses: boolean;
}

export function fetchPolicy(allowedUrls: readonly string[], allowPrivate: boolean): FetchPolicy {
  return { allowedUrls: allowedUrls.map(pathGlob), allowPrivateAddresses: allowPrivate };
}

/** Why a URL may not be fetched, or undefined when it may (its address is checked at connect). */
export function urlRefusal(policy: FetchPolicy, url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `not a URL: ${JSON.stringify(url.slice(0, 200))}`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return `${parsed.protocol} URLs are never fetched (http and https only)`;
  if (parsed.username !== '' || parsed.password !== '') return 'URLs with credentials are refused';
  if (!policy.allowedUrls.some((glob) => glob.test(parsed.href)))
    return `${parsed.href} is outside revocation.allowed_urls`;
  return undefined;
}

/** Why an address the URL's host resolved to may not be connected to, or undefined. */
export function addressRefusal(policy: FetchPolicy, address: string): string | undefined {
  if (policy.allowPrivateAddresses || isPublicAddress(address)) return undefined;
  return `${address} is not a public address (revocation.allow_private_addresses is off)`;
}
