// Verifies a presented chain against trust anchors at a given time, the way OpenSSL does for a
// TLS client (RFC 5280 path, basicConstraints, keyUsage, pathLenConstraint, the serverAuth
// purpose, the security level's key and digest strengths), and a leaf against a name. Pure
// (node:crypto's X509Certificate does the signature checks; no clock, no I/O). OpenSSL's own
// verdict from the handshake is the authority (src/probe/tls-probe.ts); this gives the path (the
// leaf's issuer for OCSP, the anchor to publish), the certificate a problem is about, and the
// verdict when OpenSSL's could not be read. Where both find a problem, the first of this order
// is reported: dates, trust, signature strength, key strength, CA constraints, path length,
// purpose (an expired certificate is the failure to act on soonest).
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import type { ProbeFailureReason } from '../../domain/tls-words.js';
import { cachedCertFacts, type CertFacts } from './cert-facts.js';
import { keySecurityBits, levelBits, signatureSecurityBits } from './strength.js';
import { BoundedMap } from '../../common/bounded-map.js';

export type ChainVerdict =
  | {
      readonly verified: true;
      /** the trust anchor that signed the top of the presented chain, when not presented */
      readonly anchor?: X509Certificate;
      /** the leaf's issuer on the verified path (OCSP checks against it) */
      readonly issuer?: X509Certificate;
      /** the verified path, leaf first, the trust anchor last (revocation checks walk it) */
      readonly path: readonly X509Certificate[];
    }
  | {
      readonly verified: false;
      readonly reason: ProbeFailureReason;
      readonly detail: string;
      readonly issuer?: X509Certificate;
    };

const MAX_DEPTH = 10;

/** extendedKeyUsage OIDs that make a certificate fit for TLS servers (OpenSSL: serverAuth, SGC) */
const SERVER_AUTH = new Set([
  '1.3.6.1.5.5.7.3.1',
  '2.16.840.1.113730.4.1',
  '1.3.6.1.4.1.311.10.3.3',
]);

/** keyUsage bits: keyCertSign, and the ones a TLS server key needs one of */
const KEY_CERT_SIGN = 32;
const TLS_KEY_USAGES = 1 | 4 | 16; // digitalSignature | keyEncipherment | keyAgreement

function seconds(date: string): number {
  return Math.floor(new Date(date).getTime() / 1000);
}

const ISSUED_CACHE_LIMIT = 8192;
const issuedCache = new BoundedMap<boolean>(ISSUED_CACHE_LIMIT);

/**
 * Whether `parent` signed `child` (names and signature; whether the parent may sign is a
 * constraint checked on the path, so a non-CA issuer is named as such, not as unknown);
 * remembered by fingerprints (signature checks are the cost).
 */
function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  const key = `${child.fingerprint256}>${parent.fingerprint256}`;
  const known = issuedCache.get(key);
  if (known !== undefined) return known;
  let result: boolean;
  try {
    result = child.issuer === parent.subject && child.verify(parent.publicKey);
  } catch {
    result = false; // a key type this OpenSSL cannot use
  }
  issuedCache.set(key, result);
  return result;
}

/** Whether `parent`'s key verifies `child`'s signature (false for a key OpenSSL cannot use). */
export function verifiesWith(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

/** A certificate by its place in a path and its CN: `leaf "a.example"`, `chain[1] "CA"`. */
export function pathLabel(cert: X509Certificate, index: number): string {
  const cn = /CN=([^\n,]*)/.exec(cert.subject)?.[1] ?? cert.subject;
  return `${index === 0 ? 'leaf' : `chain[${index}]`} "${cn}"`;
}

interface Problem {
  readonly reason: ProbeFailureReason;
  readonly detail: string;
}

/** The constraints OpenSSL checks on a built path, in this file's order; undefined when none fails. */
function constraintProblem(
  path: readonly X509Certificate[],
  trustedTop: boolean,
  securityLevel: number,
): Problem | undefined {
  const facts = path.map((c) => cachedCertFacts(c.raw));
  const least = levelBits(securityLevel);
  // a self-signed trust anchor's own signature is not checked: it is trusted as it is
  const signed = trustedTop && facts.at(-1)?.selfIssued ? path.length - 1 : path.length;
  for (let i = 0; i < signed; i++) {
    const f = facts[i] as CertFacts;
    if (signatureSecurityBits(f) < least)
      return {
        reason: 'cert_weak_signature',
        detail: `${pathLabel(path[i] as X509Certificate, i)} is signed with ${f.signatureAlgorithm}, below security level ${securityLevel}`,
      };
  }
  for (const [i, f] of facts.entries()) {
    if (keySecurityBits(f) < least)
      return {
        reason: 'cert_weak_key',
        detail: `${pathLabel(path[i] as X509Certificate, i)} has a ${f.keyAlgorithm} ${f.keyBits}-bit key, below security level ${securityLevel}`,
      };
  }
  for (let i = 1; i < facts.length; i++) {
    const f = facts[i] as CertFacts;
    // OpenSSL (X509_check_ca): a CA needs CA:TRUE, or for a v1 self-signed root no extension;
    // with keyUsage it needs keyCertSign
    const notCa = f.hasBasicConstraints ? !f.isCA : !f.selfIssued && f.keyUsage === undefined;
    if (notCa || (f.keyUsage !== undefined && (f.keyUsage & KEY_CERT_SIGN) === 0))
      return {
        reason: 'cert_invalid_ca',
        detail: `${pathLabel(path[i] as X509Certificate, i)} signed ${pathLabel(path[i - 1] as X509Certificate, i - 1)} but is not a CA (${f.hasBasicConstraints && !f.isCA ? 'basicConstraints CA:FALSE' : 'keyUsage without keyCertSign'})`,
      };
  }
  // pathLenConstraint: how many non-self-issued intermediates may follow below a CA
  let below = 0;
  for (let i = 1; i < facts.length; i++) {
    const f = facts[i] as CertFacts;
    if (i > 1 && f.pathLength !== undefined && below > f.pathLength)
      return {
        reason: 'cert_path_length',
        detail: `${pathLabel(path[i] as X509Certificate, i)} allows ${f.pathLength} intermediate(s) below it, the chain has ${below}`,
      };
    if (!f.selfIssued) below += 1;
  }
  // purpose "TLS server": every certificate below the anchor that lists extendedKeyUsage
  const last = trustedTop ? facts.length - 1 : facts.length;
  for (let i = 0; i < last; i++) {
    const f = facts[i] as CertFacts;
    const eku = f.extendedKeyUsage;
    const leafUsageBad = i === 0 && f.keyUsage !== undefined && (f.keyUsage & TLS_KEY_USAGES) === 0;
    if ((eku !== undefined && !eku.some((oid) => SERVER_AUTH.has(oid))) || leafUsageBad)
      return {
        reason: 'cert_purpose',
        detail: `${pathLabel(path[i] as X509Certificate, i)} is not for TLS servers (${leafUsageBad ? 'keyUsage allows no TLS key use' : `extendedKeyUsage ${eku?.join(', ')} without serverAuth`})`,
      };
  }
  return undefined;
}

export function verifyChain(
  presented: readonly Buffer[] | readonly X509Certificate[],
  anchors: readonly X509Certificate[],
  nowSeconds: number,
  securityLevel = 2,
): ChainVerdict {
  if (presented.length === 0)
    return { verified: false, reason: 'cert_verify_failed', detail: 'no certificate presented' };
  let certs: X509Certificate[];
  try {
    certs = presented.map((c) => (c instanceof X509Certificate ? c : new X509Certificate(c)));
  } catch (err) {
    return {
      verified: false,
      reason: 'cert_verify_failed',
      detail: `unparsable certificate: ${(err as Error).message}`,
    };
  }
  const leaf = certs[0] as X509Certificate;
  const path: X509Certificate[] = [leaf];
  let trusted = false;
  let usedAnchor: X509Certificate | undefined;
  let current = leaf;
  for (let depth = 0; depth < MAX_DEPTH && !trusted; depth++) {
    if (anchors.some((a) => a.raw.equals(current.raw))) {
      trusted = true;
      break;
    }
    const anchor = anchors.find((a) => issuedBy(current, a));
    if (anchor) {
      path.push(anchor);
      usedAnchor = anchor;
      trusted = true;
      break;
    }
    const next = certs.find((c) => !path.includes(c) && issuedBy(current, c));
    if (!next) break;
    path.push(next);
    current = next;
  }
  const issuer = path[1];
  const failed = (problem: Problem): ChainVerdict => ({
    verified: false,
    ...problem,
    ...(issuer ? { issuer } : {}),
  });
  for (const [i, cert] of path.entries()) {
    if (nowSeconds > seconds(cert.validTo))
      return failed({
        reason: 'cert_expired',
        detail: `${pathLabel(cert, i)} expired at ${cert.validTo}`,
      });
    if (nowSeconds < seconds(cert.validFrom))
      return failed({
        reason: 'cert_expired',
        detail: `${pathLabel(cert, i)} is not valid before ${cert.validFrom}`,
      });
  }
  if (!trusted) {
    const last = path.at(-1) as X509Certificate;
    const selfSigned = last.subject === last.issuer && verifiesWith(last, last);
    return failed({
      reason: 'unknown_ca',
      detail: selfSigned
        ? `${pathLabel(last, path.length - 1)} is self-signed and not trusted`
        : `no trusted issuer for ${pathLabel(last, path.length - 1)} (issuer "${last.issuer.replace(/\n/g, ', ')}"; missing intermediate or unknown CA)`,
    });
  }
  const problem = constraintProblem(path, trusted, securityLevel);
  if (problem) return failed(problem);
  return {
    verified: true,
    path,
    ...(usedAnchor ? { anchor: usedAnchor } : {}),
    ...(issuer ? { issuer } : {}),
  };
}

/**
 * Whether the leaf is valid for `name` (a DNS name, or an IP address literal). The subject CN
 * counts only with `cnFallback` and only when the certificate has no DNS SAN (OpenSSL's rule);
 * without it, SANs only (Go's and the browsers' rule).
 */
export function hostnameMatches(
  leafCert: Buffer | X509Certificate,
  name: string,
  cnFallback = false,
): boolean {
  try {
    const leaf = leafCert instanceof X509Certificate ? leafCert : new X509Certificate(leafCert);
    if (isIP(name)) return leaf.checkIP(name) !== undefined;
    return leaf.checkHost(name, { subject: cnFallback ? 'default' : 'never' }) !== undefined;
  } catch {
    return false;
  }
}

/** Parses PEM text holding one or more certificates into trust anchors. */
export function anchorsFromPem(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}
