// Key and signature strength as OpenSSL's security levels count them (SSL_CTX_set_security_level
// (3)): the least security bits per level, a key's bits (RSA and DSA by modulus size, EC by half
// the curve size), a signature digest's bits (SHA-1 63 and MD5 39 in OpenSSL 3). Pure.
import type { CertPosition } from '../../domain/tls-words.js';
import type { CertFacts } from './cert-facts.js';

/** The least security bits of keys and digests at levels 0 to 5. */
const LEVEL_BITS = [0, 80, 112, 128, 192, 256] as const;

/** The level the published weak flags use: 2, the default of modules and of Debian, Ubuntu, RHEL. */
export const PUBLISHED_SECURITY_LEVEL = 2;

/** Security bits of a key as OpenSSL counts them (RSA/DSA by modulus size, EC by half the curve). */
export function keySecurityBits(facts: CertFacts): number {
  const bits = facts.keyBits;
  if (
    facts.keyAlgorithm === 'rsa' ||
    facts.keyAlgorithm === 'rsa_pss' ||
    facts.keyAlgorithm === 'dsa'
  ) {
    if (bits >= 15360) return 256;
    if (bits >= 7680) return 192;
    if (bits >= 3072) return 128;
    if (bits >= 2048) return 112;
    if (bits >= 1024) return 80;
    return 0;
  }
  if (facts.keyAlgorithm === 'ed448') return 224;
  return Math.floor(bits / 2); // ECDSA, SM2, Ed25519
}

/** Security bits of a signature's digest: SHA-1 63 and MD5 39 (OpenSSL 3), others ample. */
export function signatureSecurityBits(facts: CertFacts): number {
  const name = facts.signatureAlgorithm.toLowerCase();
  if (name.includes('md5') || name.includes('md2') || name.includes('md4')) return 39;
  if (name.includes('sha1')) return 63;
  return 128;
}

/** The least security bits a level asks for (0: no check). */
export function levelBits(securityLevel: number): number {
  return LEVEL_BITS[Math.max(0, Math.min(5, Math.floor(securityLevel)))] ?? 0;
}

/** Below the published level: what `tls_cert_weak_key` says. */
export function weakKey(facts: CertFacts): boolean {
  return keySecurityBits(facts) < levelBits(PUBLISHED_SECURITY_LEVEL);
}

/**
 * Signed with a digest below the published level: what `tls_cert_weak_signature` says. A
 * self-signed root's own signature is never checked by a client: never weak.
 */
export function weakSignature(position: CertPosition, facts: CertFacts): boolean {
  if (position === 'root' && facts.selfIssued) return false;
  return signatureSecurityBits(facts) < levelBits(PUBLISHED_SECURITY_LEVEL);
}
