// Checks certificates for revocation by OCSP (the staple, or the responder the certificate or the
// policy names) and by CRL (the distribution points, or the policy's URLs), each against its
// issuer. Answers are cached until their nextUpdate and no longer than the policy's cache_max_age;
// one fetch per key is in flight at a time; failures are remembered briefly so a responder that is
// down is not asked by every probe. A fetch that fails is `unavailable`, never `revoked`; a refresh
// that fails keeps the last answer while it is still valid (before its nextUpdate), the failure
// counted at once (tls_revocation_fetch_failures_total).
import type { X509Certificate } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import type { RevocationPolicy } from '../../config/sections/revocation.js';
import type { RevocationFailure, RevocationMethod } from '../../domain/tls-words.js';
import { BoundedMap } from '../../common/bounded-map.js';
import { cachedCertFacts, type CertFacts } from '../inspect/cert-facts.js';
import { CrlError, crlSignedBy, lookupSerial, parseCrl, type Crl } from './crl.js';
import type { FetchOutcome, RevocationFetcher } from './fetcher.js';
import { ocspRequest, readOcspResponse, type OcspReading } from './ocsp.js';
import type { RevocationFinding } from './revocation-finding.js';
import { KeyedFlights } from '../../common/async.js';

/** what the fetches are measured and counted by (the metrics layer implements it) */
export interface RevocationRecorder {
  requested(method: RevocationMethod, url: string, seconds: number): void;
  failed(method: RevocationMethod, url: string, failure: RevocationFailure): void;
}

/** a failed fetch is not retried for this long (nor longer than the policy's cache_max_age) */
const FAILURE_HOLD_MS = 30_000;

/** When an answer was had, and until when it can be used at all (its nextUpdate), in ms. */
interface Freshness {
  readonly fetchedAt: number;
  readonly expires: number;
  /** a failure: held FAILURE_HOLD_MS at most */
  readonly failed: boolean;
}

interface CachedOcsp extends Freshness {
  readonly finding: RevocationFinding;
}

interface CachedCrl extends Freshness {
  readonly crl: Crl | undefined;
  readonly failure?: { readonly failure: RevocationFailure; readonly detail: string };
  readonly etag?: string;
  readonly lastModified?: string;
  /** issuer fingerprints whose signature on this CRL verified, or did not (checked once each) */
  readonly verifiedBy: Set<string>;
  readonly refusedBy: Set<string>;
}

export class RevocationChecker {
  #ocsp: BoundedMap<CachedOcsp>;
  #crl: BoundedMap<CachedCrl>;
  /** one fetch in flight per key: a second caller waits for the first's answer */
  readonly #inFlight = new KeyedFlights();

  constructor(
    private readonly fetcher: RevocationFetcher,
    private readonly recorder: RevocationRecorder,
    cacheEntries: number,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.#ocsp = new BoundedMap(cacheEntries);
    this.#crl = new BoundedMap(cacheEntries);
  }

  /** A new cache size (a reload): what is cached is kept while it fits. */
  resize(cacheEntries: number): void {
    const ocsp = new BoundedMap<CachedOcsp>(cacheEntries);
    for (const [k, v] of this.#ocsp) ocsp.set(k, v);
    const crl = new BoundedMap<CachedCrl>(cacheEntries);
    for (const [k, v] of this.#crl) crl.set(k, v);
    this.#ocsp = ocsp;
    this.#crl = crl;
  }

  /**
   * The OCSP answer for `cert` from a responder (the policy's, else the certificate's): the first
   * of its responders that gives a usable answer decides.
   */
  async ocsp(
    cert: X509Certificate,
    issuer: X509Certificate,
    policy: RevocationPolicy,
  ): Promise<RevocationFinding> {
    const facts = cachedCertFacts(cert.raw);
    const urls = policy.ocspResponderUrl !== undefined ? [policy.ocspResponderUrl] : facts.ocspUrls;
    if (urls.length === 0)
      return {
        method: 'ocsp',
        status: 'unknown',
        detail: 'the certificate names no OCSP responder (no Authority Information Access)',
      };
    return this.#firstUsable(urls, (url) => this.#ocspAt(url, facts, issuer, policy));
  }

  async #ocspAt(
    url: string,
    facts: CertFacts,
    issuer: X509Certificate,
    policy: RevocationPolicy,
  ): Promise<RevocationFinding> {
    const issuerFacts = cachedCertFacts(issuer.raw);
    const key = `${url}\u0000${issuerFacts.sha256}\u0000${facts.serial}`;
    const cached = this.#ocsp.get(key);
    if (cached && this.#fresh(cached, policy)) return cached.finding;
    return this.#inFlight.run(key, async () => {
      const nonce = policy.ocspNonce ? randomBytes(16) : undefined;
      const outcome = await this.#fetch('ocsp', {
        url,
        body: ocspRequest(facts, issuerFacts, nonce),
        contentType: 'application/ocsp-request',
        accept: 'application/ocsp-response',
        timeoutMs: policy.timeoutMs,
      });
      let finding: RevocationFinding;
      let freshness: Freshness;
      if (!outcome.ok) {
        finding = unavailable('ocsp', url, outcome.failure, outcome.detail);
        freshness = this.#failed();
      } else {
        const reading = readOcspResponse(outcome.body, facts, issuer, this.nowMs() / 1000, nonce);
        finding = ocspFinding(reading, 'responder', url);
        if (!reading.ok) {
          this.recorder.failed('ocsp', url, reading.problem);
          freshness = this.#failed();
        } else freshness = this.#fetched(reading.nextUpdate);
      }
      // a refresh that failed keeps an answer still valid (before its nextUpdate): the failure is
      // counted at once; unavailable only once no valid answer is left (as RFC 5280 uses a CRL)
      if (freshness.failed && cached && this.#stillValid(cached)) {
        const kept = { ...cached, fetchedAt: this.nowMs(), failed: true };
        this.#ocsp.set(key, kept);
        return kept.finding;
      }
      this.#ocsp.set(key, { finding, ...freshness });
      return finding;
    });
  }

  /** Each URL in turn until one gives an answer that is not `unavailable`; else the last. */
  async #firstUsable(
    urls: readonly string[],
    at: (url: string) => Promise<RevocationFinding>,
  ): Promise<RevocationFinding> {
    let last: RevocationFinding | undefined;
    for (const url of urls) {
      last = await at(url);
      if (last.status !== 'unavailable') return last;
    }
    return last as RevocationFinding;
  }

  /** The CRL answer for `cert`: the first of its URLs that gives a usable CRL decides. */
  async crl(
    cert: X509Certificate,
    issuer: X509Certificate,
    policy: RevocationPolicy,
  ): Promise<RevocationFinding> {
    const facts = cachedCertFacts(cert.raw);
    const urls = policy.crlUrls ?? facts.crlUrls;
    if (urls.length === 0)
      return {
        method: 'crl',
        status: 'unknown',
        detail: 'the certificate names no CRL (no CRL Distribution Points)',
      };
    return this.#firstUsable(urls, (url) => this.#crlAt(url, facts, issuer, policy));
  }

  async #crlAt(
    url: string,
    facts: CertFacts,
    issuer: X509Certificate,
    policy: RevocationPolicy,
  ): Promise<RevocationFinding> {
    let entry = this.#crl.get(url);
    if (!entry || !this.#fresh(entry, policy))
      entry = await this.#inFlight.run(url, () => this.#loadCrl(url, entry, policy));
    if (!entry.crl)
      return unavailable(
        'crl',
        url,
        entry.failure?.failure ?? 'bad_response',
        entry.failure?.detail ?? 'no CRL',
      );
    const crl = entry.crl;
    const issuerFacts = cachedCertFacts(issuer.raw);
    if (!facts.issuerName.equals(crl.issuerName))
      return unavailable(
        'crl',
        url,
        'wrong_certificate',
        `the CRL at ${url} is not issued by the certificate's issuer`,
      );
    if (!entry.verifiedBy.has(issuerFacts.sha256)) {
      if (
        entry.refusedBy.has(issuerFacts.sha256) ||
        !(await crlSignedBy(crl, issuer, issuerFacts.subjectName))
      ) {
        // counted once per CRL fetched, not once per certificate checked against it
        if (!entry.refusedBy.has(issuerFacts.sha256))
          this.recorder.failed('crl', url, 'bad_signature');
        entry.refusedBy.add(issuerFacts.sha256);
        return unavailable(
          'crl',
          url,
          'bad_signature',
          `the CRL at ${url} does not verify with the issuer's key`,
        );
      }
      entry.verifiedBy.add(issuerFacts.sha256);
    }
    const now = this.nowMs() / 1000;
    const base = {
      method: 'crl' as const,
      source: 'crl' as const,
      url,
      ...(crl.nextUpdate === undefined ? {} : { nextUpdate: crl.nextUpdate }),
    };
    if (crl.nextUpdate !== undefined && crl.nextUpdate < now)
      return {
        ...base,
        status: 'unavailable',
        failure: 'stale',
        detail: `the CRL at ${url} is past its nextUpdate ${iso(crl.nextUpdate)}`,
      };
    const revoked = lookupSerial(crl, facts.serial);
    if (revoked)
      return {
        ...base,
        status: 'revoked',
        revokedAt: revoked.at,
        reason: revoked.reason,
        detail: `revoked at ${iso(revoked.at)} (${revoked.reason}) per the CRL at ${url}`,
      };
    return {
      ...base,
      status: 'good',
      detail: `not on the CRL at ${url} (${crl.entries} entries, this update ${iso(crl.thisUpdate)})`,
    };
  }

  async #loadCrl(
    url: string,
    previous: CachedCrl | undefined,
    policy: RevocationPolicy,
  ): Promise<CachedCrl> {
    const outcome = await this.#fetch('crl', {
      url,
      accept: 'application/pkix-crl, application/x-pkcs7-crl, */*',
      timeoutMs: policy.timeoutMs,
      ...(previous?.crl && previous.etag !== undefined ? { etag: previous.etag } : {}),
      ...(previous?.crl && previous.lastModified !== undefined
        ? { lastModified: previous.lastModified }
        : {}),
    });
    const failed = (failure: RevocationFailure, detail: string): CachedCrl => {
      // the last CRL while it is valid (before its nextUpdate): RFC 5280 lets it be used until
      // then; the failure is counted at once, and the fetch retried after the failure hold
      if (previous?.crl && this.#stillValid(previous)) {
        const kept = { ...previous, fetchedAt: this.nowMs(), failed: true };
        this.#crl.set(url, kept);
        return kept;
      }
      const entry = {
        crl: undefined,
        failure: { failure, detail },
        ...this.#failed(),
        verifiedBy: new Set<string>(),
        refusedBy: new Set<string>(),
      };
      this.#crl.set(url, entry);
      return entry;
    };
    if (!outcome.ok) return failed(outcome.failure, outcome.detail);
    if (outcome.notModified && previous?.crl) {
      const entry = { ...previous, ...this.#fetched(previous.crl.nextUpdate) };
      this.#crl.set(url, entry);
      return entry;
    }
    let crl: Crl;
    try {
      crl = await parseCrl(outcome.body);
    } catch (err) {
      if (!(err instanceof CrlError)) throw err;
      this.recorder.failed('crl', url, 'bad_response');
      return failed('bad_response', `${url}: ${err.message}`);
    }
    const entry: CachedCrl = {
      crl,
      ...(outcome.etag === undefined ? {} : { etag: outcome.etag }),
      ...(outcome.lastModified === undefined ? {} : { lastModified: outcome.lastModified }),
      ...this.#fetched(crl.nextUpdate),
      verifiedBy: new Set(),
      refusedBy: new Set(),
    };
    this.#crl.set(url, entry);
    return entry;
  }

  #fetched(nextUpdate: number | undefined): Freshness {
    const now = this.nowMs();
    // already stale (a CA that stopped publishing): held like a failure, not fetched per check
    if (nextUpdate !== undefined && nextUpdate * 1000 <= now) return this.#failed();
    return {
      fetchedAt: now,
      expires: nextUpdate === undefined ? Infinity : nextUpdate * 1000,
      failed: false,
    };
  }

  /** An answer that was had (not a failure) and has a nextUpdate still ahead. */
  #stillValid(
    entry: Freshness & ({ finding: RevocationFinding } | { crl?: Crl | undefined }),
  ): boolean {
    const answered = 'finding' in entry ? entry.finding.status !== 'unavailable' : !!entry.crl;
    return answered && Number.isFinite(entry.expires) && this.nowMs() < entry.expires;
  }

  #failed(): Freshness {
    return { fetchedAt: this.nowMs(), expires: Infinity, failed: true };
  }

  /** an answer is reused until its nextUpdate and no longer than cache_max_age; a failure 30 s */
  #fresh(entry: Freshness, policy: RevocationPolicy): boolean {
    const now = this.nowMs();
    const age = now - entry.fetchedAt;
    const maxAge = entry.failed
      ? Math.min(FAILURE_HOLD_MS, policy.cacheMaxAgeMs)
      : policy.cacheMaxAgeMs;
    return now < entry.expires && age < maxAge;
  }

  async #fetch(
    method: RevocationMethod,
    request: Parameters<RevocationFetcher['fetch']>[0],
  ): Promise<FetchOutcome> {
    const outcome = await this.fetcher.fetch(request);
    if (outcome.ok) this.recorder.requested(method, request.url, outcome.seconds);
    else {
      if (outcome.seconds !== undefined)
        this.recorder.requested(method, request.url, outcome.seconds);
      this.recorder.failed(method, request.url, outcome.failure);
    }
    return outcome;
  }
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

function unavailable(
  method: RevocationMethod,
  url: string,
  failure: RevocationFailure,
  detail: string,
): RevocationFinding {
  return { method, status: 'unavailable', url, failure, detail };
}

/** An OCSP reading (stapled or fetched) as a finding. */
export function ocspFinding(
  reading: OcspReading,
  source: 'staple' | 'responder',
  url?: string,
): RevocationFinding {
  const where =
    source === 'staple' ? 'the stapled OCSP response' : `the OCSP responder ${url ?? ''}`;
  const at = url === undefined ? {} : { url };
  if (!reading.ok)
    return {
      method: 'ocsp',
      status: 'unavailable',
      source,
      ...at,
      failure: reading.problem,
      detail: `${where}: ${reading.detail}`,
    };
  const next = reading.nextUpdate === undefined ? {} : { nextUpdate: reading.nextUpdate };
  if (reading.status === 'revoked')
    return {
      method: 'ocsp',
      status: 'revoked',
      source,
      ...at,
      ...next,
      revokedAt: reading.revokedAt ?? reading.thisUpdate,
      reason: reading.reason ?? 'unspecified',
      detail: `revoked at ${iso(reading.revokedAt ?? reading.thisUpdate)} (${reading.reason ?? 'unspecified'}) per ${where}`,
    };
  return {
    method: 'ocsp',
    status: reading.status,
    source,
    ...at,
    ...next,
    detail: `${reading.status} per ${where}`,
  };
}
