// A logged key-exchange group name to its label value. Envoy prints BoringSSL's names
// (KEY_EXCHANGE_GROUPS); an Envoy built on OpenSSL prints OpenSSL's for the classic curves, which
// name the same groups. Anything else is `other`. Pure.
import {
  KEY_EXCHANGE_GROUPS,
  POST_QUANTUM_GROUPS,
  type KeyExchangeGroup,
  type KeyExchangeGroupLabel,
} from './tls-words.js';

const BY_NAME = new Map<string, KeyExchangeGroup>([
  ...KEY_EXCHANGE_GROUPS.map((g) => [g, g] as const),
  // OpenSSL's names (SSL_group_to_name) of the same groups
  ['x25519', 'X25519'],
  ['secp256r1', 'P-256'],
  ['prime256v1', 'P-256'],
  ['secp384r1', 'P-384'],
  ['secp521r1', 'P-521'],
]);

export function keyExchangeGroupLabel(name: string): KeyExchangeGroupLabel {
  return BY_NAME.get(name) ?? 'other';
}

/** The PromQL regex of the post-quantum groups, for rules and panels. */
export const POST_QUANTUM_GROUP_REGEX = POST_QUANTUM_GROUPS.join('|');
