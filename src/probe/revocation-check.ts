// Revocation checks over a certification path (leaf first, its issuer next, …): every certificate
// but the trust anchor at the top, each against the certificate above it, by each method the
// policy turns on. And what of the findings fails a probe.
import { X509Certificate } from 'node:crypto';
import { checksAnything, type RevocationPolicy } from '../config/sections/revocation.js';
import { cachedCertFacts } from '../certs/inspect/cert-facts.js';
import { pathLabel as label, verifiesWith } from '../certs/inspect/verify-chain.js';
import type { PositionedCert } from './probe-result.js';
import type { OcspReading } from '../certs/revocation/ocsp.js';
import { ocspFinding, type RevocationChecker } from '../certs/revocation/revocation-checker.js';
import type { RevocationFinding } from '../certs/revocation/revocation-finding.js';

const MAX_DEPTH = 10;

/**
 * The findings for each certificate of `path` below its top (index i is about path[i]); the top
 * is the trust anchor, or for a certificate on disk the last issuer found.
 */
export async function checkPath(
  checker: RevocationChecker,
  path: readonly X509Certificate[],
  policy: RevocationPolicy,
  /** the leaf's staple as ocsp-check.ts read it, when one was stapled */
  staple?: OcspReading,
): Promise<RevocationFinding[][]> {
  return Promise.all(
    path.slice(0, -1).map(async (cert, i) => {
      const issuer = path[i + 1] as X509Certificate;
      const findings: Promise<RevocationFinding>[] = [];
      if (policy.ocsp !== 'off') {
        const fromStaple =
          i === 0 && staple !== undefined ? ocspFinding(staple, 'staple') : undefined;
        if (
          fromStaple !== undefined &&
          (fromStaple.status !== 'unavailable' || policy.ocsp === 'staple')
        )
          findings.push(Promise.resolve(fromStaple));
        else if (policy.ocsp !== 'staple') findings.push(checker.ocsp(cert, issuer, policy));
      }
      if (policy.crl !== 'off') findings.push(checker.crl(cert, issuer, policy));
      return Promise.all(findings);
    }),
  );
}

export interface RevocationProblem {
  readonly revoked: boolean;
  readonly detail: string;
}

/**
 * What fails: a certificate revoked by any method; under `require`, a certificate without a
 * "good" by that method when it names where to ask (a leaf always must).
 */
export function revocationProblem(
  path: readonly X509Certificate[],
  findings: readonly (readonly RevocationFinding[])[],
  policy: RevocationPolicy,
): RevocationProblem | undefined {
  for (const [i, list] of findings.entries()) {
    const revoked = list.find((f) => f.status === 'revoked');
    if (revoked)
      return {
        revoked: true,
        detail: `${label(path[i] as X509Certificate, i)} is ${revoked.detail}`,
      };
  }
  for (const [i, list] of findings.entries()) {
    for (const f of list) {
      const mode = f.method === 'ocsp' ? policy.ocsp : policy.crl;
      if (mode !== 'require' || f.status === 'good') continue;
      if (i === 0 || f.source !== undefined)
        return {
          revoked: false,
          detail: `${f.method}: require, and ${label(path[i] as X509Certificate, i)} has no "good" answer: ${f.detail}`,
        };
    }
  }
  return undefined;
}

/**
 * A path for a certificate on disk: from `certs[0]` up through issuers found in `certs` and
 * `pool` (signature checked), until a self-signed certificate or none is found.
 */
export function issuerPath(
  certs: readonly X509Certificate[],
  pool: readonly X509Certificate[],
): X509Certificate[] {
  const first = certs[0];
  if (!first) return [];
  const path = [first];
  const candidates = [...certs.slice(1), ...pool];
  for (let current = first; path.length < MAX_DEPTH;) {
    if (current.checkIssued(current) && verifiesWith(current, current)) break;
    const issuer = candidates.find(
      (c) => !path.includes(c) && current.checkIssued(c) && verifiesWith(current, c),
    );
    if (!issuer) break;
    path.push(issuer);
    current = issuer;
  }
  return path;
}

/** Puts each certificate's findings on its published entry (matched by fingerprint). */
export function attachFindings(
  certs: PositionedCert[],
  path: readonly X509Certificate[],
  findings: readonly (readonly RevocationFinding[])[],
): void {
  for (const [i, list] of findings.entries()) {
    const sha256 = cachedCertFacts((path[i] as X509Certificate).raw).sha256;
    const at = certs.findIndex((c) => c.facts.sha256 === sha256);
    if (at >= 0 && list.length > 0)
      certs[at] = { ...(certs[at] as PositionedCert), revocation: list };
  }
}

/**
 * Certificates held rather than served (a file, a module's client certificate): the path from
 * the first up through `pool`, checked; a top that is not self-signed has no issuer to check
 * against and is `unknown` by each method.
 */
export async function checkHeldCerts(
  checker: RevocationChecker,
  held: readonly PositionedCert[],
  policy: RevocationPolicy,
  pool: readonly X509Certificate[],
): Promise<PositionedCert[]> {
  const certs = [...held];
  if (certs.length === 0 || !checksAnything(policy)) return certs;
  const path = issuerPath(
    certs.map((c) => new X509Certificate(c.facts.der)),
    pool,
  );
  const findings = await checkPath(checker, path, policy);
  const top = path.at(-1) as X509Certificate;
  if (!cachedCertFacts(top.raw).selfIssued) {
    const methods = [
      ...(policy.ocsp === 'off' || policy.ocsp === 'staple' ? [] : (['ocsp'] as const)),
      ...(policy.crl === 'off' ? [] : (['crl'] as const)),
    ];
    findings.push(
      methods.map((method) => ({
        method,
        status: 'unknown' as const,
        detail: `the issuer of "${cachedCertFacts(top.raw).subjectCN}" is neither beside it nor in revocation.issuers_file`,
      })),
    );
  }
  attachFindings(certs, path, findings);
  return certs;
}
