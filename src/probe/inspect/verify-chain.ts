// Verifies a presented chain against trust anchors at a given time, and a leaf against a name.
// Pure computation (node:crypto's X509Certificate does the signature checks; no clock, no I/O),
// so the dates and names of a certificate are known even when its chain does not verify.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import type { ProbeFailureReason } from '../../metrics/label-values.js';

export type ChainVerdict =
  /** `anchor`: the trust anchor that signed the top of the presented chain, when not presented */
  | { readonly verified: true; readonly anchor?: X509Certificate }
  | { readonly verified: false; readonly reason: ProbeFailureReason; readonly detail: string };

const MAX_DEPTH = 10;

function seconds(date: string): number {
  return Math.floor(new Date(date).getTime() / 1000);
}

const ISSUED_CACHE_LIMIT = 8192;
const issuedCache = new Map<string, boolean>();

/** Whether `parent` signed `child`; remembered by fingerprints (signature checks are the cost). */
function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  const key = `${child.fingerprint256}>${parent.fingerprint256}`;
  const known = issuedCache.get(key);
  if (known !== undefined) return known;
  let result: boolean;
  try {
    result = child.checkIssued(parent) && child.verify(parent.publicKey);
  } catch {
    result = false; // a key type this OpenSSL cannot use
  }
  if (issuedCache.size >= ISSUED_CACHE_LIMIT) issuedCache.clear();
  issuedCache.set(key, result);
  return result;
}

function verifiesWith(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

function label(cert: X509Certificate, index: number): string {
  const cn = /CN=([^\n,]*)/.exec(cert.subject)?.[1] ?? cert.subject;
  return `${index === 0 ? 'leaf' : `chain[${index}]`} "${cn}"`;
}

export function verifyChain(
  presented: readonly Buffer[] | readonly X509Certificate[],
  anchors: readonly X509Certificate[],
  nowSeconds: number,
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
  // Dates first: an expired certificate is the failure an operator must act on soonest.
  for (const [i, cert] of path.entries()) {
    if (nowSeconds > seconds(cert.validTo)) {
      return {
        verified: false,
        reason: 'cert_expired',
        detail: `${label(cert, i)} expired at ${cert.validTo}`,
      };
    }
    if (nowSeconds < seconds(cert.validFrom)) {
      return {
        verified: false,
        reason: 'cert_expired',
        detail: `${label(cert, i)} is not valid before ${cert.validFrom}`,
      };
    }
  }
  if (!trusted) {
    const last = path.at(-1) as X509Certificate;
    const selfSigned = last.subject === last.issuer && verifiesWith(last, last);
    return {
      verified: false,
      reason: 'unknown_ca',
      detail: selfSigned
        ? `${label(last, path.length - 1)} is self-signed and not trusted`
        : `no trusted issuer for ${label(last, path.length - 1)} (issuer "${last.issuer.replace(/\n/g, ', ')}"; missing intermediate or unknown CA)`,
    };
  }
  return usedAnchor ? { verified: true, anchor: usedAnchor } : { verified: true };
}

/** Whether the leaf is valid for `name` (a DNS name, or an IP address literal). */
export function hostnameMatches(leafCert: Buffer | X509Certificate, name: string): boolean {
  try {
    const leaf = leafCert instanceof X509Certificate ? leafCert : new X509Certificate(leafCert);
    return isIP(name) ? leaf.checkIP(name) !== undefined : leaf.checkHost(name) !== undefined;
  } catch {
    return false;
  }
}

/** Parses PEM text holding one or more certificates into trust anchors. */
export function anchorsFromPem(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}
