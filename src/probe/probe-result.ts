// What one probe of one address found. Cached between runs and read at scrape time, where the
// time-derived values (days remaining, lifetime ratio) are computed.
import type { CertPosition, ProbeFailureReason, RefusedBy } from '../domain/tls-words.js';
import { cachedCertFacts, type CertFacts } from '../certs/inspect/cert-facts.js';
import type { OcspReading } from '../certs/revocation/ocsp.js';
import type { RevocationFinding } from '../certs/revocation/revocation-finding.js';

export type ProbePhase = 'resolve' | 'connect' | 'handshake' | 'total';

export interface PositionedCert {
  readonly position: CertPosition;
  readonly facts: CertFacts;
  /** what each revocation method found, when checked */
  readonly revocation?: readonly RevocationFinding[];
}

export interface OcspFinding {
  readonly stapled: boolean;
  /** 0 good, 1 revoked, 2 unknown; absent when nothing usable was stapled */
  readonly status?: 0 | 1 | 2;
  readonly nextUpdate?: number;
  readonly problem?: string;
  /** the staple as read (the revocation checks of the path reuse it) */
  readonly reading?: OcspReading;
}

export interface ProbeResult {
  /** the `name` label: the target's name, with `@address` when every address is probed */
  readonly target: string;
  /** Unix seconds when the probe ran */
  readonly at: number;
  readonly handshakeOk: boolean;
  readonly success: boolean;
  readonly reason?: ProbeFailureReason;
  /** who ended the failed probe: its own checks, the server, or the network */
  readonly refusedBy?: RefusedBy;
  readonly detail?: string;
  readonly durations: Partial<Record<ProbePhase, number>>;
  readonly protocol?: string;
  readonly cipher?: string;
  /** the negotiated key-exchange group (X25519, P-256, ffdhe2048, …) */
  readonly group?: string;
  readonly certs: readonly PositionedCert[];
  readonly chainVerified?: boolean;
  readonly hostnameMatch?: boolean;
  readonly clientAuthEnforced?: boolean;
  readonly ocsp?: OcspFinding;
}

export function positionOf(facts: CertFacts, index: number): CertPosition {
  if (index === 0) return 'leaf';
  return facts.selfIssued ? 'root' : 'intermediate';
}

/** For a file: what the certificate is, whatever its place (a CA bundle holds only roots). */
export function filePositionOf(facts: CertFacts): CertPosition {
  if (!facts.isCA) return 'leaf'; // a self-signed server certificate is still a leaf
  return facts.selfIssued ? 'root' : 'intermediate';
}

/** A chain (DER, leaf first) as published: each certificate read once, placed by position. */
export function positionedChain(chain: readonly Buffer[]): PositionedCert[] {
  return chain.map((der, i) => {
    const facts = cachedCertFacts(der);
    return { position: positionOf(facts, i), facts };
  });
}
